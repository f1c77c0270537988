/**
 * GitHub's matrix algorithm (actions/runner src/Sdk/WorkflowParser/Conversion/MatrixBuilder.cs):
 *  1. cross product of the base vectors, the first key varying slowest;
 *  2. a product row matching any exclude entry is dropped;
 *  3. each remaining row gets the non-base pairs of every include entry whose base pairs match the
 *     row; a later entry overwrites what an earlier one added (base values are never overwritten,
 *     since an entry that disagrees on a base value does not match);
 *  4. include entries that matched no remaining row are appended, in order, as combinations of
 *     their own (base pairs first, then the others). Include entries never match appended rows,
 *     and because exclusion happens first an include can add back an excluded combination.
 */
import { matches, sameKey } from "./filter.ts";
import type { Combination, MatrixValue, ParsedStrategy } from "./types.ts";

export interface Expansion {
  combinations: Combination[];
  nameParts: Combination[];
}

/** Products beyond this are not walked: they could only end in the 256-configuration error. */
export const MAX_WALKED_PRODUCT = 1_000_000;

export function productSize(p: ParsedStrategy): number {
  if (p.vectors.length === 0) return 0;
  return p.vectors.reduce((n, [, values]) => n * values.length, 1);
}

export function expandMatrix(p: ParsedStrategy): Expansion {
  const out: Expansion = { combinations: [], nameParts: [] };
  const matched = p.include.map(() => false);
  for (const row of crossProduct(p.vectors)) {
    if (p.exclude.some((leaves) => matches(leaves, row))) continue;
    const added: [string, MatrixValue][] = [];
    p.include.forEach((entry, i) => {
      if (!matches(entry.filterLeaves, row)) return;
      matched[i] = true;
      for (const [k, v] of entry.extra) setPreservingKey(added, k, v);
    });
    out.combinations.push({ ...row, ...Object.fromEntries(added) });
    out.nameParts.push(row);
  }
  p.include.forEach((entry, i) => {
    if (matched[i]) return;
    const own = Object.fromEntries([...entry.filter, ...entry.extra]);
    out.combinations.push(own);
    out.nameParts.push(own);
  });
  return out;
}

/** Keys compare case-insensitively; the first spelling and position win, the last value wins. */
function setPreservingKey(pairs: [string, MatrixValue][], key: string, value: MatrixValue): void {
  const at = pairs.findIndex(([k]) => sameKey(k, key));
  if (at >= 0) pairs[at] = [(pairs[at] as [string, MatrixValue])[0], value];
  else pairs.push([key, value]);
}

function* crossProduct(vectors: [string, MatrixValue[]][]): Generator<Combination> {
  if (vectors.length === 0) return;
  const index = vectors.map(() => 0);
  for (;;) {
    const row: Combination = {};
    vectors.forEach(([k, values], i) => {
      row[k] = values[index[i] as number] as MatrixValue;
    });
    yield row;
    let d = vectors.length - 1;
    while (d >= 0) {
      const size = (vectors[d] as [string, MatrixValue[]])[1].length;
      index[d] = (index[d] as number) + 1;
      if ((index[d] as number) < size) break;
      index[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}
