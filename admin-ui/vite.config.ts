import { defineConfig, loadEnv } from 'vite';

// No @vitejs/plugin-react: Vite 8 compiles TSX with oxc, told here to use React's automatic JSX runtime.
// The dashboard is served by the API under /admin (src/admin), so assets are built for that base.
export default defineConfig(({ mode }) => {
  // `vite -c admin-ui/vite.config.ts` (live reload) talks to a running API: same origin through the
  // proxy, so the session cookie and the CSRF check work as in production.
  const api = loadEnv(mode, false, 'ADMIN_API_').ADMIN_API_URL ?? 'http://127.0.0.1:3000';
  return {
    root: new URL('.', import.meta.url).pathname,
    base: '/admin/',
    oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
    server: { proxy: { '/admin/api': api, '/admin/queues': api } },
    build: {
      outDir: new URL('../dist/admin-ui', import.meta.url).pathname,
      emptyOutDir: true,
      sourcemap: false,
      chunkSizeWarningLimit: 1024,
    },
  };
});
