// Vite builds the app into dist/ (served by `sladesk serve --web-root web/dist`);
// vitest runs the unit tests in src/**/*.test.ts(x) on happy-dom.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // JSX for Preact without a plugin: the TS/JSX transform reads these.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
  },
  server: {
    // `npm run dev`: the API from a running `sladesk serve` (SLADESK_URL).
    proxy: { '/api': process.env.SLADESK_URL ?? 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
