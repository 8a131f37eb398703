// The dashboard's pages and their URLs under /admin (pure, so it is easy to test and to read).

export type Route =
  | { page: 'login'; next: string | null }
  | { page: 'destinations' }
  | { page: 'apps' }
  | { page: 'streams' }
  | { page: 'stream'; streamId: string }
  | { page: 'relays' }
  | { page: 'jobs' }
  | { page: 'not-found' };

export function parseRoute(pathname: string, search = ''): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/admin' || path === '/admin/index.html') return { page: 'streams' };
  if (path === '/admin/login') {
    const next = new URLSearchParams(search).get('next');
    // Only ever return to a page of the dashboard, never to another site.
    return { page: 'login', next: next && next.startsWith('/admin') && !next.startsWith('//') ? next : null };
  }
  if (path === '/admin/destinations') return { page: 'destinations' };
  if (path === '/admin/apps') return { page: 'apps' };
  if (path === '/admin/streams') return { page: 'streams' };
  const stream = /^\/admin\/streams\/([^/]+)$/.exec(path);
  if (stream) return { page: 'stream', streamId: decodeURIComponent(stream[1]) };
  if (path === '/admin/relays') return { page: 'relays' };
  if (path === '/admin/jobs') return { page: 'jobs' };
  return { page: 'not-found' };
}

export const NAV_ITEMS = [
  { href: '/admin/streams', label: 'Live streams', pages: ['streams', 'stream'] },
  { href: '/admin/destinations', label: 'Destinations', pages: ['destinations'] },
  { href: '/admin/apps', label: 'Apps', pages: ['apps'] },
  { href: '/admin/relays', label: 'Relays', pages: ['relays'] },
  { href: '/admin/jobs', label: 'Queues', pages: ['jobs'] },
] as const;
