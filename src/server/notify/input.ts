/**
 * Checking what the notifications API is sent: channel kinds, URLs and secrets, and rule lists (with the
 * same rule checks `.slipway.yml` gets). Each refusal is an InputError naming the field.
 */
import { InputError } from "../../common/errors.ts";
import type { RuleRecord } from "../../store/notification-store.ts";
import { CHANNEL_KINDS, ruleProblems, type ChannelKind } from "../../workflow/repo-config-notifications.ts";

const MAX_RULES = 100;

export function kindOf(v: string): ChannelKind {
  if (!(CHANNEL_KINDS as readonly string[]).includes(v)) throw new InputError(`kind must be slack or webhook, got '${v}'`);
  return v as ChannelKind;
}

export function urlOf(v: string): string {
  let u: URL;
  try {
    u = new URL(v.trim());
  } catch {
    throw new InputError("url must be an absolute http:// or https:// URL");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new InputError(`url must be http:// or https://, got ${u.protocol}//`);
  return u.href;
}

export function secretOf(v: unknown, kind: ChannelKind): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string" || v === "") throw new InputError('"secret" must be a non-empty string (or null for none)');
  if (kind === "slack") throw new InputError("a Slack channel is not signed: secret is for kind webhook (the Slack URL itself is the secret)");
  return v;
}

/** The body's `rules`, checked as `.slipway.yml`'s are; every problem is named with its rule's index. */
export function readRules(v: unknown, knownChannel: (name: string) => boolean): RuleRecord[] {
  if (!Array.isArray(v)) throw new InputError('"rules" must be a list of {channel, events, branches?, workflows?}');
  if (v.length > MAX_RULES) throw new InputError(`at most ${MAX_RULES} rules per repository`);
  const problems: string[] = [];
  const rules: RuleRecord[] = [];
  v.forEach((raw, i) => {
    const rule = ruleOf(raw, `rules[${i}]`, problems);
    if (!rule) return;
    for (const p of ruleProblems({ channel: rule.channel, events: rule.events, branches: rule.branches ?? undefined, workflows: rule.workflows ?? undefined }, knownChannel)) problems.push(`rules[${i}].${p.field}: ${p.message}`);
    rules.push(rule);
  });
  if (problems.length) throw new InputError(problems.join("; "));
  return rules;
}

function ruleOf(raw: unknown, at: string, problems: string[]): RuleRecord | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return (problems.push(`${at} must be an object`), null);
  const o = raw as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !["channel", "events", "branches", "workflows"].includes(k));
  if (unknown.length) problems.push(`${at}: unknown field(s) ${unknown.join(", ")} (known: channel, events, branches, workflows)`);
  if (typeof o.channel !== "string") return (problems.push(`${at}.channel must be a channel name`), null);
  const list = (k: string, required: boolean): string[] | null | undefined => {
    const x = o[k];
    if (x === undefined || x === null) return required ? (problems.push(`${at}.${k} is required`), undefined) : null;
    if (!Array.isArray(x) || x.some((e) => typeof e !== "string")) return (problems.push(`${at}.${k} must be a list of strings`), undefined);
    return x as string[];
  };
  const events = list("events", true);
  const branches = list("branches", false);
  const workflows = list("workflows", false);
  if (!events || branches === undefined || workflows === undefined) return null;
  return { channel: o.channel, events, branches: branches?.length ? branches : null, workflows: workflows?.length ? workflows : null };
}

