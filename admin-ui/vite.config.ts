import { defineConfig } from 'vite';

// No @vitejs/plugin-react: Vite 8 compiles TSX with oxc, told here to use React's automatic JSX runtime.
// The dashboard is served by the API under /admin (src/admin), so assets are built for that base.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/admin/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: new URL('../dist/admin-ui', import.meta.url).pathname,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
});
