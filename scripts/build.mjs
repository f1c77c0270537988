// Bundling is not optional: @actions/workflow-parser imports JSON without an import attribute,
// which plain Node refuses (actions/languageservices#387). A bundle also starts faster.
import { build } from "esbuild";
import { rmSync } from "node:fs";

// Chunk names carry content hashes: without a clean folder every build would leave the last one's behind.
rmSync("dist/chunks", { recursive: true, force: true });

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
  external: ["better-sqlite3", "dockerode", "libsodium-wrappers", "prom-client"],
  banner: { js: "import { createRequire as __slipwayRequire } from 'node:module'; const require = __slipwayRequire(import.meta.url);" },
  logLevel: "warning",
});

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
