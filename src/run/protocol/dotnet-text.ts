/**
 * The few .NET string rules the runner's protocols lean on, so parsing matches actions/runner
 * character for character rather than JavaScript's near-equivalents.
 */

// Char.IsWhiteSpace: JavaScript's \s without U+FEFF, plus U+0085.
const WS = "\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const LEADING_WS = new RegExp(`^[${WS}]+`);
const TRAILING_WS = new RegExp(`[${WS}]+$`);

export function trimStartDotNet(s: string): string {
  return s.replace(LEADING_WS, "");
}

export function trimDotNet(s: string): string {
  return s.replace(LEADING_WS, "").replace(TRAILING_WS, "");
}

/**
 * Key for OrdinalIgnoreCase comparison: .NET upper-cases one UTF-16 unit at a time, so mappings
 * that change length in JavaScript (ß → SS) are left alone.
 */
export function ordinalIgnoreCaseKey(s: string): string {
  let out = "";
  for (const ch of s) {
    const up = ch.toUpperCase();
    out += up.length === ch.length ? up : ch;
  }
  return out;
}

/** bool.TryParse: "true"/"false" in any case, surrounding whitespace and NULs allowed. */
export function parseDotNetBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const t = value.replace(/^[\s\0]+|[\s\0]+$/g, "").toLowerCase();
  if (t === "true") return true;
  if (t === "false") return false;
  return undefined;
}

/** The runner's StringUtil.ConvertToBoolean: 1/true/$true, 0/false/$false, else the default. */
export function convertToBoolean(value: string | undefined, fallback = false): boolean {
  switch (value?.toLowerCase()) {
    case "1":
    case "true":
    case "$true":
      return true;
    case "0":
    case "false":
    case "$false":
      return false;
    default:
      return fallback;
  }
}

/** int.TryParse with NumberStyles.Integer: optional whitespace around an optionally signed Int32. */
export function parseDotNetInt(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^[\t-\r ]*([+-]?[0-9]+)[\t-\r ]*$/.exec(value);
  if (!m || m[1] === undefined) return undefined;
  const n = Number(m[1]);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}
