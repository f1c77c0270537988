// Bundling is not optional: @actions/workflow-parser imports JSON without an import attribute,
// which plain Node refuses (actions/languageservices#387). A bundle also starts faster.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";

// Earlier builds split the CLI into ES module chunks; nothing may be left of them.
for (const old of ["dist/chunks", "dist/slipway.js", "dist/slipway.js.map"]) rmSync(old, { recursive: true, force: true });
// The bundle's identity goes first: should a check below refuse the new bundle, no code cache made for the
// previous one may be used with it (V8 compares only the length of the source).
rmSync("dist/slipway.cjs.id", { force: true });

// One CommonJS file, which bin/slipway.js compiles with V8's code cache (it says why). Code that only
// some commands need is still evaluated only when they run (esbuild wraps each lazily imported module).
await build({
  entryPoints: { slipway: "src/cli/main.ts" },
  outdir: "dist",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: true,
  // Start-up time is a product goal (< 300 ms for a one-step run): every byte of the bundle is read,
  // decoded and hashed at each start. keepNames keeps functions' and classes' names for stack traces
  // and for code that reports an error's class.
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: true,
  keepNames: true,
  // bin/slipway.js reads the bundle as latin1, much faster than UTF-8 (checked below).
  charset: "ascii",
  // Native modules stay in node_modules; dockerode's optional ssh2 transport brings native code too.
  external: ["better-sqlite3", "dockerode", "libsodium-wrappers", "prom-client"],
  define: { "import.meta.url": "__slipwayUrl" },
  // The directive first: esbuild's own "use strict" comes after the banner, where it is no directive, and
  // the sources are ES modules, written for strict mode.
  banner: { js: "\"use strict\";\nconst __slipwayUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: "warning",
});

// A script compiled by node:vm has no module loader behind `import()`: it would fail at run time.
const bundle = readFileSync("dist/slipway.cjs");
if (/\bimport\(/.test(bundle.toString("utf8"))) {
  throw new Error("build: dist/slipway.cjs contains a dynamic import(); import the module statically, or import a bundled module");
}
// One byte per character: bin/slipway.js decodes the bundle as latin1, which would garble anything else
// (esbuild escapes strings and identifiers, but not every regular expression: write \u00b5, not µ).
const wide = bundle.findIndex((b) => b > 0x7f);
if (wide >= 0) {
  throw new Error(`build: dist/slipway.cjs has a non-ASCII byte at offset ${wide} (${JSON.stringify(bundle.subarray(Math.max(0, wide - 40), wide + 8).toString("latin1"))}); escape it in the source`);
}
// The bundle's identity for bin/slipway.js's code cache: V8 checks only a cached script's length, and
// npm gives every installed file the same modification time.
writeFileSync("dist/slipway.cjs.id", `${createHash("sha256").update(bundle).digest("hex")}\n`);

// The dashboard: Vite builds web/ into dist/dashboard, which the server serves. Skipped (with a note)
// where Vite is not installed, e.g. a production install without devDependencies.
import { existsSync } from "node:fs";
if (existsSync("web/vite.config.ts") && !process.env.SLIPWAY_SKIP_DASHBOARD) {
  let vite = null;
  try {
    vite = await import("vite");
  } catch {
    console.warn("build: vite is not installed; the dashboard is not rebuilt");
  }
  if (vite) await vite.build({ configFile: "web/vite.config.ts", logLevel: "warn" });
}
