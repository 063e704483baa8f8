// Builds the web app into the server's class path: target/classes/web/, which the Maven build packs into the
// salotto-web jar; the server serves it from there (WebHandler). `npm run dev` serves it with hot reload and sends
// the API and WebSocket to a server running on 127.0.0.1:8080 (`./salotto serve`).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'target/classes/web',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        p2p: fileURLToPath(new URL('./p2p.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
});
