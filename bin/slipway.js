#!/usr/bin/env node
// The CLI is bundled by `npm run build` (run by `prepare`) into dist/; see scripts/build.mjs for why.
import "../dist/slipway.js";
