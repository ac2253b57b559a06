/**
 * The colour scheme the browser asks for (prefers-color-scheme), live: charts redraw when it
 * changes. CSS follows it by itself (app.css); charts need their colours swapped (dark-palette.ts).
 */
class ColourScheme {
  dark = $state(false);

  constructor() {
    if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return;
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    this.dark = mq.matches;
    mq.addEventListener('change', (e) => (this.dark = e.matches));
  }
}

export const colourScheme = new ColourScheme();
