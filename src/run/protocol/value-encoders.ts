/**
 * Other spellings of a secret that actions/runner also masks (ValueEncoders, all registered by
 * HostContext): base64 (three byte alignments), shell/expression/JSON/URI/XML escapes, and the
 * halves PowerShell prints around `&`. An encoder returns "" when it has nothing to add.
 */

export type ValueEncoder = (value: string) => string;

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");
const utf8 = (value: string): Uint8Array => Buffer.from(value, "utf8");

/** base64 of the bytes from `shift` on, so the secret is found after a prefix like `user:`. */
function base64Shifted(value: string, shift: number): string {
  const bytes = utf8(value);
  return base64(bytes.length > shift ? bytes.subarray(shift) : bytes);
}

const JSON_SHORT: Record<string, string> = { "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\" };

/** Newtonsoft's JsonConvert.ToString without the quotes: also escapes U+0085, U+2028, U+2029. */
function jsonEscape(value: string): string {
  return value.replace(/[\u0000-\u001f"\\\u0085\u2028\u2029]/g, (c) => {
    return JSON_SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Uri.EscapeDataString: only RFC 3986 unreserved characters stay; lone surrogates become U+FFFD. */
function uriDataEscape(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, "\uFFFD")).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const XML: Record<string, string> = { "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "&": "&amp;" };
const xmlEscape = (value: string): string => value.replace(/[<>"'&]/g, (c) => XML[c]!);

function trimDoubleQuotes(value: string): string {
  return value.length > 8 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : "";
}

// PowerShell error output can split `part1&part2` (or colour the letter after `&+`); parts under
// 6 characters are not worth masking on their own.
function powerShellBeforeAmpersand(value: string): string {
  if (!value.includes("&")) return "";
  const plus = value.indexOf("&+");
  const section = plus >= 0 ? value.slice(0, plus + 2) : value.slice(0, value.lastIndexOf("&") + 1);
  return section.length >= 6 ? section : "";
}

function powerShellAfterAmpersand(value: string): string {
  if (!value.includes("&")) return "";
  const plus = value.indexOf("&+");
  let section = "";
  if (plus < 0) section = value.slice(value.lastIndexOf("&") + 1);
  else if (value.length > plus + 3) section = value.slice(plus + 3);
  return section.length >= 6 ? section : "";
}

export const RUNNER_VALUE_ENCODERS: readonly ValueEncoder[] = [
  (v) => base64(utf8(v)),
  (v) => base64Shifted(v, 1),
  (v) => base64Shifted(v, 2),
  (v) => v.replaceAll('"', '\\"'),
  (v) => v.replaceAll("'", "''"),
  jsonEscape,
  uriDataEscape,
  xmlEscape,
  trimDoubleQuotes,
  powerShellBeforeAmpersand,
  powerShellAfterAmpersand,
];
