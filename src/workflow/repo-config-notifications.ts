/**
 * `.slipway.yml` `notifications:`: rules a repository declares for itself (the server merges them with
 * the rules set through its API). Channels here name repository secrets, never the URL itself:
 *
 *   notifications:
 *     channels:
 *       team-slack: { kind: slack, url_secret: SLACK_WEBHOOK }
 *       audit-hook: { kind: webhook, url_secret: HOOK_URL, signing_secret: HOOK_SECRET }
 *     rules:
 *       - { channel: team-slack, events: [run.failed, run.fixed], branches: [main] }
 *
 * The checks on a rule are shared with the server's API (`ruleProblems`), so both refuse the same things.
 */
import { isMap, isScalar, isSeq, type Node } from "yaml";
import { validatePatternList } from "./glob.ts";

export const NOTIFY_EVENTS = ["run.failed", "run.fixed", "deployment.started", "deployment.succeeded", "deployment.failed", "approval.requested"] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export const CHANNEL_KINDS = ["slack", "webhook"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface NotifyRule {
  channel: string;
  events: NotifyEvent[];
  /** Branch patterns (GitHub's glob rules, `!` excludes); absent: every branch. */
  branches?: string[];
  /** Workflow files (`.github/workflows/ci.yml` or `ci.yml`); absent: every workflow. */
  workflows?: string[];
}

export interface ConfigChannel {
  kind: ChannelKind;
  /** The repository secret holding the URL (a Slack incoming webhook's URL is itself a secret). */
  urlSecret: string;
  /** The repository secret that signs a generic webhook's body. */
  signingSecret?: string;
}

/** Both optional: a file without `notifications:` reads as `{}`. */
export interface NotificationsConfig {
  channels?: Record<string, ConfigChannel>;
  rules?: NotifyRule[];
}

type Problem = (n: Node | null | undefined, m: string) => void;

const CHANNEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `name` cannot name a channel, or null. */
export function channelNameProblem(name: string): string | null {
  return CHANNEL_NAME.test(name) ? null : `channel name '${name}' must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit`;
}

export function isNotifyEvent(v: unknown): v is NotifyEvent {
  return typeof v === "string" && (NOTIFY_EVENTS as readonly string[]).includes(v);
}

/** Problems with one rule's fields, by field; `knownChannel` says whether the channel exists. */
export function ruleProblems(rule: { channel: string; events: readonly string[]; branches?: readonly string[]; workflows?: readonly string[] }, knownChannel: (name: string) => boolean): { field: "channel" | "events" | "branches" | "workflows"; message: string }[] {
  const out: { field: "channel" | "events" | "branches" | "workflows"; message: string }[] = [];
  if (!knownChannel(rule.channel)) out.push({ field: "channel", message: `rule names channel '${rule.channel}', which is not defined` });
  if (rule.events.length === 0) out.push({ field: "events", message: `a rule needs at least one event (${NOTIFY_EVENTS.join(", ")})` });
  for (const e of rule.events) if (!isNotifyEvent(e)) out.push({ field: "events", message: `unknown event '${e}' (known: ${NOTIFY_EVENTS.join(", ")})` });
  if (rule.branches) for (const m of validatePatternList(rule.branches)) out.push({ field: "branches", message: m });
  if (rule.workflows?.some((w) => w.trim() === "")) out.push({ field: "workflows", message: "a workflow file name is empty" });
  return out;
}

export function readNotifications(node: Node | null, problem: Problem): NotificationsConfig {
  if (node === null || (isScalar(node) && node.value === null)) return {};
  if (!isMap(node)) {
    problem(node, "'notifications' must be a mapping with 'channels' and 'rules'");
    return {};
  }
  const out: NotificationsConfig = { channels: {}, rules: [] };
  let rulesNode: Node | null = null;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (key === "channels") out.channels = readChannels(pair.value as Node | null, problem);
    else if (key === "rules") rulesNode = pair.value as Node | null;
    else problem(pair.key as Node, `unknown key 'notifications.${key}' (known: channels, rules)`);
  }
  out.rules = readRules(rulesNode, out.channels ?? {}, problem);
  return out;
}

function readChannels(node: Node | null, problem: Problem): Record<string, ConfigChannel> {
  const out: Record<string, ConfigChannel> = {};
  if (node === null) return out;
  if (!isMap(node)) {
    problem(node, "'notifications.channels' must be a mapping of channel names to {kind, url_secret}");
    return out;
  }
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : "";
    const bad = channelNameProblem(name);
    if (bad) {
      problem(pair.key as Node, bad);
      continue;
    }
    const channel = readChannel(name, pair.value as Node | null, problem);
    if (channel) out[name] = channel;
  }
  return out;
}

function readChannel(name: string, node: Node | null, problem: Problem): ConfigChannel | null {
  if (!isMap(node)) {
    problem(node, `channel '${name}' must be a mapping with kind and url_secret`);
    return null;
  }
  const fields: Record<string, { value: unknown; node: Node }> = {};
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!["kind", "url_secret", "signing_secret"].includes(key)) {
      problem(pair.key as Node, `unknown key '${key}' in channel '${name}' (known: kind, url_secret, signing_secret)`);
      continue;
    }
    fields[key] = { value: isScalar(pair.value) ? pair.value.value : pair.value, node: (pair.value ?? pair.key) as Node };
  }
  const kind = fields.kind?.value;
  if (kind === undefined) return (problem(node, `channel '${name}' needs a kind (slack or webhook)`), null);
  if (!(CHANNEL_KINDS as readonly unknown[]).includes(kind)) return (problem(fields.kind?.node, `channel '${name}': kind must be slack or webhook, got '${String(kind)}'`), null);
  const urlSecret = secretName(name, "url_secret", fields.url_secret, problem, node);
  if (urlSecret === null) return null;
  const channel: ConfigChannel = { kind: kind as ChannelKind, urlSecret };
  if (fields.signing_secret) {
    if (kind === "slack") return (problem(fields.signing_secret.node, `channel '${name}': a Slack channel is not signed; signing_secret is for kind: webhook`), null);
    const s = secretName(name, "signing_secret", fields.signing_secret, problem, node);
    if (s === null) return null;
    channel.signingSecret = s;
  }
  return channel;
}

function secretName(channel: string, key: string, f: { value: unknown; node: Node } | undefined, problem: Problem, at: Node): string | null {
  if (!f) return (problem(at, `channel '${channel}' needs ${key}: the name of a repository secret`), null);
  if (typeof f.value !== "string" || !SECRET_NAME.test(f.value)) {
    problem(f.node, `channel '${channel}': ${key} must name a repository secret (letters, digits and underscores), got '${String(f.value)}'`);
    return null;
  }
  return f.value;
}

function readRules(node: Node | null, channels: Record<string, ConfigChannel>, problem: Problem): NotifyRule[] {
  if (node === null) return [];
  if (!isSeq(node)) {
    problem(node, "'notifications.rules' must be a list of {channel, events, branches?, workflows?}");
    return [];
  }
  const out: NotifyRule[] = [];
  for (const item of node.items) {
    const rule = readRule(item as Node | null, channels, problem);
    if (rule) out.push(rule);
  }
  return out;
}

function readRule(node: Node | null, channels: Record<string, ConfigChannel>, problem: Problem): NotifyRule | null {
  if (!isMap(node)) return (problem(node, "a rule must be a mapping with channel and events"), null);
  const nodes: Partial<Record<"channel" | "events" | "branches" | "workflows", Node>> = {};
  const rule: NotifyRule = { channel: "", events: [] };
  let ok = true;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const value = pair.value as Node | null;
    if (key === "channel") {
      const v = isScalar(value) ? value.value : null;
      if (typeof v !== "string") ok = (problem(value ?? (pair.key as Node), "a rule's channel must be a channel name"), false);
      else rule.channel = v;
      nodes.channel = value ?? (pair.key as Node);
    } else if (key === "events" || key === "branches" || key === "workflows") {
      const list = stringList(value);
      if (list === null) ok = (problem(value ?? (pair.key as Node), `a rule's ${key} must be a list of strings`), false);
      else if (key === "events") rule.events = list as NotifyEvent[];
      else rule[key] = list;
      nodes[key] = value ?? (pair.key as Node);
    } else {
      problem(pair.key as Node, `unknown key '${key}' in a rule (known: channel, events, branches, workflows)`);
    }
  }
  if (!nodes.channel) return (problem(node, "a rule needs a channel"), null);
  if (!nodes.events) return (problem(node, "a rule needs events"), null);
  if (!ok) return null;
  const problems = ruleProblems(rule, (c) => Object.hasOwn(channels, c));
  for (const p of problems) problem(nodes[p.field] ?? node, p.field === "channel" ? `rule names channel '${rule.channel}', which is not defined under notifications.channels` : p.message);
  return problems.length ? null : rule;
}

/** A scalar string reads as a one-item list, as GitHub's `branches: main` does. */
function stringList(node: Node | null): string[] | null {
  if (isScalar(node)) return typeof node.value === "string" ? [node.value] : null;
  if (!isSeq(node)) return null;
  const out: string[] = [];
  for (const item of node.items) {
    if (!isScalar(item) || typeof item.value !== "string") return null;
    out.push(item.value);
  }
  return out;
}
