import type { TopLevelSpec } from 'vega-lite';
import type { View } from 'vega';
import { CHART_CONFIG } from './vega-config.ts';
import { DARK_CHART_CONFIG, darkSpec } from './dark-palette.ts';

export interface RenderedChart {
  view: View;
  finalize(): void;
}

let embedModule: Promise<typeof import('vega-embed')> | null = null;

/**
 * Starts fetching the chart library (a separate chunk) without waiting for it, so it arrives
 * while the view's data is still on its way instead of after it.
 */
export function preloadCharts(): Promise<typeof import('vega-embed')> {
  embedModule ??= import('vega-embed');
  return embedModule;
}

/**
 * Draws a Vega-Lite spec into `host`, filling its named data sources. vega-embed is loaded on
 * first use so the page shell paints before the chart library arrives. `ast: true` evaluates
 * expressions with Vega's interpreter instead of `new Function`, so the app runs under a CSP
 * without 'unsafe-eval'. SVG output keeps the marks in the DOM (screen magnifiers, tests).
 *
 * Returns null when `isCurrent()` turns false while drawing (a newer render superseded it).
 * `dark`: the dark theme's background, text and data colours (dark-palette.ts).
 */
export async function renderChart(
  host: HTMLElement,
  spec: TopLevelSpec,
  data: Record<string, readonly object[]>,
  description: string,
  isCurrent: () => boolean,
  dark = false,
): Promise<RenderedChart | null> {
  const { default: embed } = await preloadCharts();
  if (!isCurrent()) return null;
  const withData = { ...(dark ? darkSpec(spec) : spec), description, datasets: { ...data } } as TopLevelSpec;
  const target = document.createElement('div');
  target.className = 'chart-view chart-view--pending';
  // Vega reads the container's width once at start-up (for `width: 'container'`), so the new
  // chart is laid out in place, hidden, while the previous one stays on screen until it is ready.
  host.append(target);
  let result: Awaited<ReturnType<typeof embed>>;
  try {
    result = await embed(target, withData, {
      renderer: 'svg',
      actions: false,
      ast: true,
      config: dark ? DARK_CHART_CONFIG : CHART_CONFIG,
      tooltip: { theme: dark ? 'dark' : 'light' },
      logLevel: 0,
    });
  } catch (e) {
    target.remove();
    throw e;
  }
  if (!isCurrent()) {
    result.finalize();
    target.remove();
    return null;
  }
  target.classList.remove('chart-view--pending');
  for (const child of [...host.children]) if (child !== target) child.remove();
  return { view: result.view as unknown as View, finalize: () => result.finalize() };
}
