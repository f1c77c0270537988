/**
 * `strategy` of a job: matrix expansion with GitHub's exact include/exclude rules, fail-fast,
 * max-parallel, the 256-configuration limit, and matrix job display names. Pure: the input is the
 * job's `strategy` after expressions in it were evaluated, as plain JSON.
 *
 * When `problems` is non-empty GitHub fails the job; `strategy.combinations` is then only a
 * best-effort guess (useful for lint) and must not be run.
 */
import { MAX_WALKED_PRODUCT, expandMatrix, productSize } from "./matrix/expand.ts";
import { findKey, isMapping } from "./matrix/filter.ts";
import { readStrategy } from "./matrix/read.ts";
import type { Strategy, StrategyProblem } from "./matrix/types.ts";

export type { Combination, MatrixValue, Strategy, StrategyProblem } from "./matrix/types.ts";
export { matrixJobName } from "./matrix/name.ts";

/** docs.github.com: "A matrix will generate a maximum of 256 jobs per workflow run." */
export const MAX_CONFIGURATIONS = 256;

export function expandStrategy(strategy: unknown): { strategy: Strategy; problems: StrategyProblem[] } {
  const { parsed, problems } = readStrategy(strategy);
  const result: Strategy = {
    combinations: null,
    nameParts: null,
    failFast: parsed.failFast,
    maxParallel: parsed.maxParallel,
  };
  if (!parsed.hasMatrix) return { strategy: result, problems };

  const size = productSize(parsed);
  if (size > MAX_WALKED_PRODUCT) {
    problems.push({ path: "strategy.matrix", message: tooMany(size) });
    return { strategy: { ...result, combinations: [], nameParts: [] }, problems };
  }
  const { combinations, nameParts } = expandMatrix(parsed);
  if (combinations.length > MAX_CONFIGURATIONS) {
    problems.push({ path: "strategy.matrix", message: tooMany(combinations.length) });
  }
  // GitHub runs a job whose matrix came out empty once, with a null matrix context, and no error.
  if (combinations.length === 0) return { strategy: result, problems };
  return { strategy: { ...result, combinations, nameParts }, problems };
}

function tooMany(n: number): string {
  return `Strategy produced ${n} configurations which exceeds the maximum of ${MAX_CONFIGURATIONS} configurations`;
}

/**
 * Keys the job's `matrix` context may have, for lint: the base vector keys, then every key of the
 * include entries (case-insensitively deduplicated, first spelling kept). Parts that are not yet
 * mappings/sequences (e.g. an unevaluated `${{ fromJSON(...) }}` string) contribute nothing.
 */
export function matrixKeys(strategy: unknown): string[] {
  const matrix = isMapping(strategy) ? strategy["matrix"] : undefined;
  if (!isMapping(matrix)) return [];
  const keys: string[] = [];
  const add = (k: string): void => {
    if (findKey(keys, k) === undefined) keys.push(k);
  };
  for (const k of Object.keys(matrix)) if (k !== "include" && k !== "exclude") add(k);
  const include = matrix["include"];
  if (Array.isArray(include)) {
    for (const entry of include) if (isMapping(entry)) Object.keys(entry).forEach(add);
  }
  return keys;
}
