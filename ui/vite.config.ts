import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  build: {
    // WebKitGTK 2.40+ (Debian 12) and current WebView2/WKWebView.
    target: "safari16",
    outDir: "dist",
    emptyOutDir: true,
  },
});
