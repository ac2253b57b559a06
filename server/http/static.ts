import path from 'node:path';
import express, { type Express } from 'express';

/**
 * The built client. express.static never lists directories and refuses paths that leave the
 * root; dotfiles are denied. Unknown paths without a file extension get index.html (SPA routes).
 */
export function mountStatic(app: Express, dir: string): void {
  const root = path.resolve(dir);
  app.use(
    express.static(root, {
      dotfiles: 'deny',
      index: 'index.html',
      redirect: false,
      fallthrough: true,
      // Vite's assets carry content hashes; the page that names them must always be revalidated.
      setHeaders: (res, file) => res.setHeader('Cache-Control', file.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
    }),
  );
  app.get(/^\/(?!api(?:\/|$))[^.]*$/, (_req, res, next) => {
    res.set('Cache-Control', 'no-cache');
    // Relative to the root, so a dist/ under a dot-folder is served (send 404s dot-folders in the path it is given).
    res.sendFile('index.html', { root }, (err) => {
      if (err) next();
    });
  });
}
