import { type NextFunction, type Request, type RequestHandler, type Response, static as serveStatic } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dashboard not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>The dashboard is not built</h1>
<p>Run <code>npm run build:admin-ui</code> (or <code>npm start</code>, which builds it when missing), then reload.</p>
</body></html>
`;

function securityHeaders(response: Response): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', 'same-origin');
}

/**
 * The built dashboard under /admin: hashed assets cached for a year, index.html never, and any
 * other path (a client-side route such as /admin/streams/ms_1) answered with index.html. The
 * admin API is left to Nest (its 404s stay JSON). Public by design: the pages hold no data,
 * and the sign-in page is one of them.
 */
export function adminUiMiddleware(uiDir: string): RequestHandler {
  const indexFile = path.join(uiDir, 'index.html');
  const assets = serveStatic(uiDir, {
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders: (response, filePath) => {
      const hashed = filePath.startsWith(path.join(uiDir, 'assets') + path.sep);
      response.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.path === '/api' || request.path.startsWith('/api/')) return next();
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    securityHeaders(response);
    if (!existsSync(indexFile)) {
      response.status(503).type('html').setHeader('Cache-Control', 'no-store');
      response.send(NOT_BUILT_PAGE);
      return;
    }
    assets(request, response, () => {
      // A missing asset is a 404, not the app shell (a stale tab asking for an old chunk).
      if (request.path.startsWith('/assets/')) return next();
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(indexFile);
    });
  };
}
