import { defineConfig } from "vitest/config";

// The Tauri window loads this dev server in development (`build.devUrl`) and the built
// `dist/` otherwise.
export default defineConfig({
  clearScreen: false,
  server: { port: 5173, strictPort: true, host: "127.0.0.1" },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
  test: { environment: "jsdom", globals: true },
});
