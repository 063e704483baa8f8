// Builds the web app into the server's class path: target/classes/web/, which the Maven build packs into the
// salotto-web jar; the server serves it from there (WebHandler). `npm run dev` serves it with hot reload and sends
// the API and WebSocket to a server running on 127.0.0.1:8080 (`./salotto serve`).
//
// `vite build --mode test` builds the same app with the browser tests' hooks (window.salotto, src/room/testHooks.ts)
// and the peer-to-peer baseline page (p2p.html) into target/test-web/web/, which the it/ tests put on the server's
// class path instead of the jar. The production build has neither: scripts/check-production-build.mjs fails the build
// if a hook is found in it.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const page = (name: string) => fileURLToPath(new URL(`./${name}.html`, import.meta.url));

export default defineConfig(({ mode }) => ({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: mode === 'test' ? 'target/test-web/web' : 'target/classes/web',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: mode === 'test' ? { index: page('index'), p2p: page('p2p') } : { index: page('index') },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
}));
