// Built by `vite build --config web/vite.config.ts` from the repository root; `slipway server` serves
// the output at `/`, so asset URLs are absolute and routing happens in the hash.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  // Nothing under web/public: every asset is imported and fingerprinted.
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL("../dist/dashboard", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
  },
});
