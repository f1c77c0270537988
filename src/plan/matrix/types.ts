/** Shapes shared by the matrix modules; src/plan/matrix.ts re-exports the public ones. */

export type MatrixValue = null | boolean | number | string | MatrixValue[] | { [k: string]: MatrixValue };

/** One job's `matrix` context. Key order is GitHub's: base keys, then keys added by `include`. */
export type Combination = Record<string, MatrixValue>;

export interface Strategy {
  /**
   * null = the job runs once with a null `matrix` context: no `strategy`/`matrix`, or (as on GitHub)
   * a matrix whose every combination was excluded and no include entry was left over.
   */
  combinations: Combination[] | null;
  /**
   * Parallel to `combinations`: the values GitHub shows in the job's display name. For cross-product
   * combinations these are only the base keys (values that `include` added are not shown); for
   * combinations appended by `include` they are the whole include entry. Pass these to `matrixJobName`.
   */
  nameParts: Combination[] | null;
  /** `strategy.fail-fast`; GitHub's default is true. */
  failFast: boolean;
  /** A positive integer, or null for "no limit" (GitHub then uses the number of combinations). */
  maxParallel: number | null;
}

export interface StrategyProblem {
  /** Where in the job the mistake is, e.g. "strategy.matrix.include[1]". */
  path: string;
  message: string;
}

/** A leaf comparison of an include/exclude entry: the value at `path` must equal `literal`. */
export interface FilterLeaf {
  path: (string | number)[];
  literal: null | boolean | number | string;
}

export interface IncludeEntry {
  /** The entry's pairs whose key is a base matrix key (compared against the combination). */
  filter: [string, MatrixValue][];
  filterLeaves: FilterLeaf[];
  /** The entry's other pairs (added to matching combinations). */
  extra: [string, MatrixValue][];
}

/** `strategy` after validation, ready to expand. */
export interface ParsedStrategy {
  failFast: boolean;
  maxParallel: number | null;
  /** False when there is no `matrix` at all. */
  hasMatrix: boolean;
  vectors: [string, MatrixValue[]][];
  include: IncludeEntry[];
  exclude: FilterLeaf[][];
}
