import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * nhsuk-frontend's compiled CSS loads the Frutiger web font from assets.nhs.uk and its icons from
 * an absolute /assets/images path. The product must work offline under a strict CSP, so the font
 * faces are dropped (the NHS.UK stack falls back to Arial, as the service manual allows) the
 * icon URLs are pointed at the package's own copies, which Vite then bundles.
 */
/** Drops `@media screen\0` blocks: an old IE-only hack that lightningcss (rightly) cannot parse. */
export function dropIeHackBlocks(css: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const at = css.indexOf('@media screen\\0', i);
    if (at < 0) return out + css.slice(i);
    out += css.slice(i, at);
    let j = css.indexOf('{', at);
    let depth = 0;
    for (; j < css.length; j++) {
      if (css[j] === '{') depth++;
      else if (css[j] === '}' && --depth === 0) break;
    }
    i = j + 1;
  }
}

function nhsukCssOffline(): Plugin {
  return {
    name: 'nhsuk-css-offline',
    enforce: 'pre',
    transform(code, id) {
      if (!/nhsuk-frontend[\\/].*\.css($|\?)/.test(id)) return null;
      const out = dropIeHackBlocks(code)
        .replace(/@font-face\{[^}]*assets\.nhs\.uk[^}]*\}/g, '')
        .replace(/url\(\/assets\/images\//g, 'url(./assets/images/');
      return { code: out, map: null };
    },
  };
}

export default defineConfig({
  root: 'client',
  plugins: [nhsukCssOffline(), svelte()],
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    // Vega is large; it is split into its own chunk so the app shell paints first.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
    // GeoJSON lives in data-samples/, outside the client root.
    fs: { allow: ['..'] },
  },
});
