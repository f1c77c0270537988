/**
 * download-artifact's `pattern`: minimatch with its defaults against artifact names, so `{a,b}`
 * alternatives expand, `*` `?` `[…]` match, and a leading dot in a name must be matched literally.
 */

export function nameMatcher(pattern: string): (name: string) => boolean {
  const res = expandBraces(pattern).map(toRegExp);
  return (name) => res.some((re) => re.test(name));
}

/** `a{b,c}d` → abd, acd (nested too); a brace group without a comma stays literal. */
export function expandBraces(p: string): string[] {
  const open = findGroup(p);
  if (!open) return [p];
  const { start, end, parts } = open;
  return parts.flatMap((part) => expandBraces(p.slice(0, start) + part + p.slice(end + 1)));
}

function findGroup(p: string): { start: number; end: number; parts: string[] } | null {
  for (let start = p.indexOf("{"); start >= 0; start = p.indexOf("{", start + 1)) {
    let depth = 0;
    const commas: number[] = [];
    for (let i = start; i < p.length; i++) {
      const c = p[i];
      if (c === "\\") i++;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) {
        if (!commas.length) break;
        const cuts = [start, ...commas, i];
        return { start, end: i, parts: cuts.slice(1).map((cut, k) => p.slice((cuts[k] as number) + 1, cut)) };
      } else if (c === "," && depth === 1) commas.push(i);
    }
  }
  return null;
}

function toRegExp(p: string): RegExp {
  let re = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === "\\" && i + 1 < p.length) re += escape(p[++i] as string);
    else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[" && p.indexOf("]", i + 2) > 0) {
      const end = p.indexOf("]", i + 2);
      const body = p.slice(i + 1, end);
      const neg = body.startsWith("!") || body.startsWith("^");
      re += `[${neg ? "^" : ""}${(neg ? body.slice(1) : body).replace(/[\\\]^]/g, "\\$&")}]`;
      i = end;
    } else re += escape(c);
  }
  // Without minimatch's `dot` option a wildcard at the start never matches a leading dot.
  const dotGuard = p.startsWith(".") ? "" : "(?!\\.)";
  return new RegExp(`^${dotGuard}${re}$`);
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
