/**
 * bin/slipway.js keeps the code V8 compiled during a start, so that the next start of the same command
 * need not compile it again. A start that did unusual work (say, parsing workflows the data dir had
 * not seen: GitHub's parser then compiled too) says so here, and its code is not the one kept.
 */
export function markUnusualStart(): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for("slipway.unusualStart")] = true;
}
