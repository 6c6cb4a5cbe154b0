// Desktop build (electron-vite): main (the Electron shell + the training worker entries for
// utilityProcess), the sandboxed preload (one CommonJS file, dependencies bundled), and the
// Svelte 5 renderer. `npx electron-vite build` writes out/main, out/preload, out/renderer.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const root = import.meta.dirname;

/**
 * The training worker's entry (src-main/worker/main.ts) becomes out/main/worker.js for
 * utilityProcess.fork; the Paper results builder (a worker thread) out/main/paper-build.js.
 */
function workerEntries(): Record<string, string> {
  const entries: Record<string, string> = { worker: 'src-main/worker/main.ts', 'paper-build': 'src-main/evidence/paper-build-worker.ts' };
  return Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(resolve(root, file))).map(([name, file]) => [name, resolve(root, file)]));
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // better-sqlite3, tfjs, ws... stay in node_modules and are required at run time
      // (tfjs-node is optional: it may be missing, and the engine falls back to wasm)
      externalizeDeps: { include: ['@tensorflow/tfjs-node'] },
      rollupOptions: {
        input: { index: resolve(root, 'src-main/electron/main.ts'), ...workerEntries() },
        // shared chunks sit beside the entries, so `new URL('../../x', import.meta.url)` in any
        // module resolves from out/main/ to the project root as it does from src-main/<folder>/
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // a sandboxed preload can only require 'electron': bundle everything else into one file
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [
      svelte(),
      {
        // `electron-vite dev` only: let the meta CSP allow the dev server's hot-reload socket
        name: 'lab-dev-csp',
        apply: 'serve',
        transformIndexHtml: (html: string) => html.replace("connect-src 'self'", "connect-src 'self' ws://localhost:* http://localhost:*"),
      },
    ],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
      // everything bundled and local: the CSP allows no remote content
      assetsInlineLimit: 0,
    },
  },
});
