// Bundling is not optional: @actions/workflow-parser imports JSON without an import attribute,
// which plain Node refuses (actions/languageservices#387). A bundle also starts faster.
import { build } from "esbuild";

await build({
  entryPoints: { slipway: "src/cli/main.ts" },
  outdir: "dist",
  // Docker support is loaded only by jobs that use it, so a plain run starts without it.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  // Start-up time is a product goal (< 300 ms for a one-step run): less to parse, same names.
  minifyWhitespace: true,
  minifySyntax: true,
  // Native modules stay in node_modules; dockerode's optional ssh2 transport brings native code too.
  external: ["better-sqlite3", "dockerode"],
  banner: { js: "import { createRequire as __slipwayRequire } from 'node:module'; const require = __slipwayRequire(import.meta.url);" },
  logLevel: "warning",
});
