// Builds the example's page with the UI's tools (ui/node_modules), the plugin's web package
// from its sources here. An app of your own just depends on tauri-plugin-beckon-api.
const here = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname);

export default {
  clearScreen: false,
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
  resolve: {
    alias: [
      { find: /^tauri-plugin-beckon-api\/sign-in\.css$/, replacement: here("../../crates/tauri-plugin-beckon/guest-js/sign-in.css") },
      { find: /^tauri-plugin-beckon-api$/, replacement: here("../../crates/tauri-plugin-beckon/guest-js/index.ts") },
      { find: /^@tauri-apps\/api\/(.*)$/, replacement: here("../../ui/node_modules/@tauri-apps/api/$1.js") },
    ],
  },
};
