import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Styles go to the CSS file so the CSP can forbid inline styles.
    css: "external",
  },
};
