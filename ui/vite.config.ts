import { defineConfig } from "vitest/config";

/** `path`, relative to this folder, as a file path. */
const here = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname);

// The Tauri window loads this dev server in development (`build.devUrl`) and the built
// `dist/` otherwise.
export default defineConfig({
  clearScreen: false,
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
  // The plugin's web package, from its sources in this repository (tsconfig.json says the
  // same to TypeScript), with the app's own @tauri-apps/api.
  resolve: {
    alias: [
      { find: /^tauri-plugin-beckon-api\/sign-in\.css$/, replacement: here("../crates/tauri-plugin-beckon/guest-js/sign-in.css") },
      { find: /^tauri-plugin-beckon-api$/, replacement: here("../crates/tauri-plugin-beckon/guest-js/index.ts") },
      { find: /^@tauri-apps\/api\/(.*)$/, replacement: here("node_modules/@tauri-apps/api/$1.js") },
      { find: /^@fluent\/bundle$/, replacement: here("node_modules/@fluent/bundle/esm/index.js") },
    ],
  },
  server: { port: 5173, strictPort: true, host: "127.0.0.1", fs: { allow: [here("..")] } },
  test: { environment: "jsdom", globals: true, setupFiles: ["test/setup.ts"] },
});
