// Bundling is not optional: @actions/workflow-parser imports JSON without an import attribute,
// which plain Node refuses (actions/languageservices#387). A bundle also starts faster.
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/slipway.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  // Start-up time is a product goal (< 300 ms for a one-step run): less to parse, same names.
  minifyWhitespace: true,
  minifySyntax: true,
  external: ["better-sqlite3"],
  banner: { js: "import { createRequire as __slipwayRequire } from 'node:module'; const require = __slipwayRequire(import.meta.url);" },
  logLevel: "warning",
});
