/**
 * Validation of an evaluated `strategy` mapping into vectors, include and exclude entries.
 * Messages follow GitHub's (actions/runner src/Sdk/WorkflowParser: WorkflowTemplateConverter
 * ConvertToStrategy and MatrixBuilder), with a hint added where GitHub's alone is terse.
 */
import { filterLeaves, findKey, isMapping } from "./filter.ts";
import type { IncludeEntry, MatrixValue, ParsedStrategy, StrategyProblem, FilterLeaf } from "./types.ts";

type Report = (path: string, message: string) => void;

function describe(v: unknown): string {
  if (Array.isArray(v)) return "A sequence was not expected";
  if (isMapping(v)) return "A mapping was not expected";
  return `Unexpected value '${v === null || v === undefined ? "" : String(v)}'`;
}

function expected(v: unknown, what: string): string {
  return `${describe(v)} (${what})`;
}

export function readStrategy(input: unknown): { parsed: ParsedStrategy; problems: StrategyProblem[] } {
  const problems: StrategyProblem[] = [];
  const report: Report = (path, message) => problems.push({ path, message });
  const parsed: ParsedStrategy = {
    failFast: true,
    maxParallel: null,
    hasMatrix: false,
    vectors: [],
    include: [],
    exclude: [],
  };
  if (input === null || input === undefined) return { parsed, problems };
  if (!isMapping(input)) {
    report("strategy", expected(input, "strategy must be a mapping"));
    return { parsed, problems };
  }
  for (const [key, value] of Object.entries(input)) {
    if (key === "fail-fast") readFailFast(parsed, value, report);
    else if (key === "max-parallel") readMaxParallel(parsed, value, report);
    else if (key === "matrix") readMatrix(parsed, value, report);
    else report(`strategy.${key}`, `Unexpected value '${key}' (allowed: fail-fast, max-parallel, matrix)`);
  }
  return { parsed, problems };
}

function readFailFast(parsed: ParsedStrategy, value: unknown, report: Report): void {
  if (typeof value === "boolean") parsed.failFast = value;
  else report("strategy.fail-fast", expected(value, "fail-fast must be a boolean"));
}

/** GitHub casts to an integer and treats anything below 1 as "no limit". */
function readMaxParallel(parsed: ParsedStrategy, value: unknown, report: Report): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    report("strategy.max-parallel", expected(value, "max-parallel must be a number"));
    return;
  }
  const n = Math.trunc(value);
  parsed.maxParallel = n > 0 ? n : null;
}

function readMatrix(parsed: ParsedStrategy, matrix: unknown, report: Report): void {
  parsed.hasMatrix = true;
  if (!isMapping(matrix)) {
    report("strategy.matrix", expected(matrix, "the matrix must be a mapping of vectors"));
    return;
  }
  let hasVector = false;
  let include: MatrixValue[] = [];
  let exclude: MatrixValue[] = [];
  for (const [key, value] of Object.entries(matrix)) {
    const path = `strategy.matrix.${key}`;
    if (key === "include" || key === "exclude") {
      if (!Array.isArray(value)) report(path, expected(value, `${key} must be a sequence of mappings`));
      else if (key === "include") include = value;
      else exclude = value;
      continue;
    }
    // An empty vector still counts as a vector for the "at least one vector" check below.
    hasVector = true;
    if (!Array.isArray(value)) report(path, expected(value, `matrix vector '${key}' must be a sequence`));
    else if (value.length === 0) report(path, `Matrix vector '${key}' does not contain any values`);
    else parsed.vectors.push([key, value]);
  }
  if (!hasVector && include.length === 0) {
    report("strategy.matrix", "Matrix must define at least one vector");
  }
  // Entries are read after every vector is known: whether an include key filters or adds depends on it.
  const baseKeys = parsed.vectors.map(([k]) => k);
  parsed.exclude = readExcludes(exclude, baseKeys, report);
  parsed.include = readIncludes(include, baseKeys, report);
}

function readExcludes(entries: MatrixValue[], baseKeys: string[], report: Report): FilterLeaf[][] {
  const out: FilterLeaf[][] = [];
  entries.forEach((entry, i) => {
    const path = `strategy.matrix.exclude[${i}]`;
    if (!isMapping(entry)) return report(path, expected(entry, "an exclude entry must be a mapping"));
    const pairs = Object.entries(entry);
    if (pairs.length === 0) return report(path, "Matrix exclude filter must not be empty");
    for (const [key] of pairs) {
      if (findKey(baseKeys, key) === undefined) {
        report(`${path}.${key}`, `Matrix exclude key '${key}' does not match any key within the matrix`);
      }
    }
    out.push(filterLeaves(pairs));
  });
  return out;
}

function readIncludes(entries: MatrixValue[], baseKeys: string[], report: Report): IncludeEntry[] {
  const out: IncludeEntry[] = [];
  entries.forEach((entry, i) => {
    const path = `strategy.matrix.include[${i}]`;
    if (!isMapping(entry)) return report(path, expected(entry, "an include entry must be a mapping"));
    const pairs = Object.entries(entry);
    if (pairs.length === 0) return report(path, "Matrix include mapping does not contain any values");
    const filter = pairs.filter(([k]) => findKey(baseKeys, k) !== undefined);
    const extra = pairs.filter(([k]) => findKey(baseKeys, k) === undefined);
    out.push({ filter, filterLeaves: filterLeaves(filter), extra });
  });
  return out;
}
