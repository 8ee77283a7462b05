// Builds the web app into QATYSU_WEB_OUT (CMake passes <build>/share/qatysu/web, where
// qatysu-server looks by default). JSX is compiled by Vite's own esbuild for Preact, so the
// build needs no Babel.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: process.env.QATYSU_WEB_OUT || 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Phones in village halls run old browsers too; ES2019 covers Chrome/Android 73+ and iOS 12.2+.
    target: 'es2019',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 250,
  },
});
