/**
 * Validates and types `workflow_dispatch` / `workflow_call` inputs against their declarations, with
 * GitHub's rules: undeclared and missing required inputs are refused; `inputs` keeps booleans and
 * numbers typed while `github.event.inputs` carries strings.
 */
export interface InputDecl {
  type?: string;
  required?: boolean;
  default?: unknown;
  options?: unknown[];
  description?: string;
}

export interface TypedInputs {
  inputs: Record<string, string | number | boolean>;
  eventInputs: Record<string, string>;
  problems: string[];
}

export function declaredInputs(on: Record<string, unknown>, event: string): Record<string, InputDecl> | null {
  const cfg = on[event];
  if (!cfg || typeof cfg !== "object") return cfg === undefined ? null : {};
  const inputs = (cfg as { inputs?: unknown }).inputs;
  return inputs && typeof inputs === "object" ? (inputs as Record<string, InputDecl>) : {};
}

export function typeInputs(decls: Record<string, InputDecl>, given: Record<string, unknown>, kind: "workflow_dispatch" | "workflow_call"): TypedInputs {
  const out: TypedInputs = { inputs: {}, eventInputs: {}, problems: [] };
  const byLower = new Map(Object.keys(decls).map((k) => [k.toLowerCase(), k]));
  for (const name of Object.keys(given)) {
    if (!byLower.has(name.toLowerCase())) {
      const known = Object.keys(decls);
      out.problems.push(`input '${name}' is not declared in on.${kind}.inputs${known.length ? ` (declared: ${known.join(", ")})` : " (it declares none)"}`);
    }
  }
  for (const [name, decl] of Object.entries(decls)) {
    const key = Object.keys(given).find((k) => k.toLowerCase() === name.toLowerCase());
    const raw = key !== undefined ? given[key] : decl.default;
    if (raw === undefined || raw === null) {
      if (decl.required) out.problems.push(`input '${name}' is required`);
      else defaultFor(decl, name, out);
      continue;
    }
    const typed = coerce(name, decl, raw, out.problems);
    if (typed === undefined) continue;
    out.inputs[name] = typed;
    out.eventInputs[name] = String(typed);
  }
  return out;
}

function defaultFor(decl: InputDecl, name: string, out: TypedInputs): void {
  // GitHub gives an absent optional boolean `false` and an absent string/choice "".
  if (decl.type === "boolean") {
    out.inputs[name] = false;
    out.eventInputs[name] = "false";
  } else if (decl.type !== "number") {
    out.inputs[name] = "";
    out.eventInputs[name] = "";
  }
}

function coerce(name: string, decl: InputDecl, raw: unknown, problems: string[]): string | number | boolean | undefined {
  const type = decl.type ?? "string";
  const text = typeof raw === "string" ? raw : JSON.stringify(raw);
  switch (type) {
    case "boolean":
      if (raw === true || raw === false) return raw;
      if (/^(true|false)$/i.test(text)) return text.toLowerCase() === "true";
      problems.push(`input '${name}' must be a boolean: true or false (got '${text}')`);
      return undefined;
    case "number": {
      const n = typeof raw === "number" ? raw : Number(text);
      if (text.trim() === "" || Number.isNaN(n)) {
        problems.push(`input '${name}' must be a number (got '${text}')`);
        return undefined;
      }
      return n;
    }
    case "choice": {
      const options = (decl.options ?? []).map(String);
      if (!options.includes(text)) {
        problems.push(`input '${name}' must be one of: ${options.join(", ")} (got '${text}')`);
        return undefined;
      }
      return text;
    }
    default:
      return typeof raw === "string" ? raw : text;
  }
}
