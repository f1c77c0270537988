/**
 * `slipway run`'s environment gate: the rules of `.slipway.yml` `environments:`. A reviewer gate asks on
 * a terminal, or is passed with `--approve ENV`; with neither it fails the job saying how to approve,
 * and never waits for input that cannot come. One answer covers every job of the run deploying there.
 */
import { createInterface } from "node:readline/promises";
import { policyRef, type EnvironmentGate, type GateAnswer, type GateRequest } from "../run/environment-gate.ts";
import type { LocalEnvironment } from "../workflow/repo-config-environments.ts";
import { branchPolicyViolation } from "../server/deploy/branch-policy.ts";

export interface LocalGateOptions {
  environments: Record<string, LocalEnvironment>;
  /** `--approve NAME`: environments approved up front. */
  approved: string[];
  /** Whether a person can answer (stdin and stderr are terminals). */
  interactive: boolean;
  minuteMs: number;
}

export class LocalGate implements EnvironmentGate {
  private readonly answers = new Map<string, Promise<boolean>>();
  private prompting: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: LocalGateOptions) {}

  async enter(req: GateRequest, signal: AbortSignal): Promise<GateAnswer> {
    const rules = this.rulesOf(req.environment);
    if (!rules) return this.open();
    const policy = rules.patterns === null ? null : { protectedBranches: false, patterns: rules.patterns };
    const violation = await branchPolicyViolation(req.environment, policy, policyRef(req, false), async () => false);
    if (violation) return { ok: false, reason: violation };
    if (rules.reviewers.length) {
      const approved = await this.approval(req, rules, signal);
      if (signal.aborted) return { ok: false, reason: "cancelled while waiting for approval", cancelled: true };
      if (!approved) return { ok: false, reason: this.howToApprove(req.environment, rules) };
    }
    if (rules.waitTimer > 0) {
      req.waiting();
      req.log(`Waiting timer: ${rules.waitTimer} minute(s) before deploying to ${req.environment}`);
      if (!(await sleep(rules.waitTimer * this.o.minuteMs, signal))) return { ok: false, reason: "cancelled during the wait timer", cancelled: true };
    }
    return this.open();
  }

  private rulesOf(name: string): LocalEnvironment | null {
    const key = Object.keys(this.o.environments).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? null : (this.o.environments[key] ?? null);
  }

  private open(): GateAnswer {
    return { ok: true, ticket: { secrets: {}, vars: {}, started: async () => undefined, finished: async () => undefined } };
  }

  private approval(req: GateRequest, rules: LocalEnvironment, signal: AbortSignal): Promise<boolean> {
    const key = req.environment.toLowerCase();
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.decide(req, rules, signal);
      this.answers.set(key, answer);
    }
    return answer;
  }

  private async decide(req: GateRequest, rules: LocalEnvironment, signal: AbortSignal): Promise<boolean> {
    if (this.o.approved.some((a) => a.toLowerCase() === req.environment.toLowerCase())) {
      req.log(`Approved with --approve ${req.environment}`);
      return true;
    }
    if (!this.o.interactive) return false;
    req.waiting();
    const asked = this.prompting.then(() => ask(`Deploy ${req.jobName} to ${req.environment}? (reviewers: ${rules.reviewers.join(", ")}) [y/N] `, signal));
    this.prompting = asked.catch(() => undefined);
    const yes = await asked;
    req.log(yes ? `Approved at the terminal` : `Rejected at the terminal`);
    return yes;
  }

  private howToApprove(env: string, rules: LocalEnvironment): string {
    const who = rules.reviewers.join(", ");
    return this.o.interactive
      ? `Deployment to ${env} was rejected at the terminal (reviewers: ${who})`
      : `${env} needs a review (reviewers: ${who}): run again with --approve ${env}, or on a terminal to be asked`;
  }
}

async function ask(question: string, signal: AbortSignal): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const line = await rl.question(question, { signal });
    return /^y(es)?$/i.test(line.trim());
  } catch {
    return false;
  } finally {
    rl.close();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const t = setTimeout(() => {
      signal.removeEventListener("abort", stop);
      resolve(true);
    }, ms);
    const stop = () => {
      clearTimeout(t);
      resolve(false);
    };
    signal.addEventListener("abort", stop, { once: true });
  });
}
