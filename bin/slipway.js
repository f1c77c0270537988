#!/usr/bin/env node
// Runs the CLI that `npm run build` (run by `prepare`) bundles into dist/slipway.cjs; scripts/build.mjs
// says why there is a bundle. Compiling it is a visible share of `slipway run`'s start-up, and Node 20
// keeps no compile cache (node:module's enableCompileCache came with Node 22), so the bundle goes
// through V8's code cache here: the code compiled during a start is kept in the user's cache folder,
// one file per build of the bundle (its content hash, which the build writes beside it), Node version
// and command, written at the exit of a start that found none, unless that start did unusual work
// (src/common/start-hint.ts). V8 refuses a cache made by another V8 or with other flags, and then a
// new one is written; without the build's hash nothing is cached.
"use strict";
const fs = require("node:fs");
const Module = require("node:module");
const os = require("node:os");
const path = require("node:path");
const vm = require("node:vm");

const bundle = path.join(__dirname, "..", "dist", "slipway.cjs");
const KEEP_FILES = 8;
const cacheFile = codeCacheFile();
const cachedData = cacheFile ? readIfAny(cacheFile) : undefined;
// The build checks that the bundle is ASCII, so latin1 reads it right, and without UTF-8 decoding.
const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, "latin1")), { filename: bundle, cachedData });
if (cacheFile && (!cachedData || script.cachedDataRejected)) process.once("exit", keepCompiledCode);
const bundleModule = new Module(bundle, module);
bundleModule.filename = bundle;
script.runInThisContext().call(bundleModule.exports, bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, path.dirname(bundle));

function codeCacheFile() {
  const id = /^[0-9a-f]{64}$/m.exec(readIfAny(`${bundle}.id`)?.toString() ?? "")?.[0];
  if (!id) return null;
  const command = /^[a-z]+$/.test(process.argv[2] ?? "") ? process.argv[2] : "other";
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  const dir = path.join(base, "slipway");
  // The cache is code this process will run: a folder someone else owns or may write to is not used.
  try {
    const st = fs.statSync(dir);
    if (!st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0) return null;
  } catch {
    // Not there yet: made private when the first cache is kept.
  }
  return path.join(dir, `code-${id.slice(0, 32)}-${process.version}-${process.arch}-${command}.bin`);
}

function readIfAny(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written costs the next start a compile, nothing else. */
function keepCompiledCode() {
  if (globalThis[Symbol.for("slipway.unusualStart")] === true) return;
  try {
    const dir = path.dirname(cacheFile);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(tmp, cacheFile);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    // Every build has its own files: only the newest few are kept, enough for two installs' commands.
    const files = fs.readdirSync(dir).filter((f) => /^code-.*\.bin$/.test(f)).map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }));
    for (const { f } of files.sort((a, b) => b.t - a.t).slice(KEEP_FILES)) fs.rmSync(path.join(dir, f), { force: true });
  } catch {
    // A read-only home or a full disk: start without.
  }
}
