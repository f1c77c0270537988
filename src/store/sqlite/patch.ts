/** Turns a partial record into an UPDATE's SET clause, touching only the fields given. */

/** Field name → column, and how to encode the value (JSON fields go in as text). */
export type Columns = Record<string, { column: string; json?: boolean }>;

export interface SetClause {
  sql: string;
  params: unknown[];
}

/** Null when nothing is to change; fields set to `undefined` count as not given. */
export function setClause(patch: object, columns: Columns): SetClause | null {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const [field, value] of Object.entries(patch)) {
    const col = columns[field];
    if (col === undefined || value === undefined) continue;
    parts.push(`${col.column} = ?`);
    params.push(col.json ? JSON.stringify(value) : value);
  }
  return parts.length === 0 ? null : { sql: parts.join(", "), params };
}
