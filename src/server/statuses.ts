/**
 * Commit statuses on the Git host: each job reported as pending when it starts and success/failure when
 * it ends, with a link to its page. GitHub, GitHub Enterprise, Gitea and Forgejo take the same body at
 * `{api}/repos/{owner}/{repo}/statuses/{sha}`; they differ in the API base (`https://api.github.com`,
 * `https://HOST/api/v3`, `https://HOST/api/v1`), which is configured. Besides the jobs' statuses, the
 * merge gate posts one aggregate status per commit (`slipway/merge-gate`, see server/gate/aggregate.ts).
 */
import type { JobRef, RunObserver } from "../run/observer.ts";
import type { JobReport } from "../run/types.ts";
import type { RunRecord } from "../store/store.ts";

export type Forge = "github" | "gitea" | "forgejo";

export interface StatusConfig {
  /** API base, e.g. https://api.github.com, https://ghe.example/api/v3, https://gitea.example/api/v1. */
  apiUrl: string;
  token: string;
}

/** The API base for a host URL when only the host is known. */
export function defaultApiUrl(forge: Forge, hostUrl: string): string {
  const host = hostUrl.replace(/\/+$/, "");
  if (forge === "github") return host === "https://github.com" ? "https://api.github.com" : `${host}/api/v3`;
  return `${host}/api/v1`;
}

type State = "pending" | "success" | "failure" | "error";

/** The context of the one status that sums up the merge gate (see server/gate/aggregate.ts). */
export const MERGE_GATE_CONTEXT = "slipway/merge-gate";

export class StatusReporter {
  /** Posts for one commit go out in order, so a job's final state never lands before its pending one. */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly config: StatusConfig, private readonly log: (m: string) => void) {}

  observer(repo: string, run: RunRecord, baseUrl: string): RunObserver {
    const target = `${baseUrl}/#/repos/${repo}/runs/${run.id}`;
    const context = (j: JobRef) => `${run.workflowName} / ${j.name} (${run.event})`;
    return {
      jobStarted: (j) => void this.post(repo, run.sha, { state: "pending", context: context(j), description: "running", target_url: target }),
      log: () => undefined,
      stepStarted: () => undefined,
      stepFinished: () => undefined,
      jobFinished: (j, r) => {
        if (r.result === "skipped" || r.carried) return;
        void this.post(repo, run.sha, { state: stateOf(r), context: context(j), description: describe(r), target_url: target });
      },
      runFinished: () => undefined,
    };
  }

  /** The merge gate's aggregate verdict for a commit, in order with the commit's per-job statuses. */
  postMergeGate(repo: string, sha: string, verdict: { state: "pending" | "success" | "failure"; description: string }, targetUrl: string): Promise<void> {
    return this.post(repo, sha, { state: verdict.state, context: MERGE_GATE_CONTEXT, description: verdict.description.slice(0, 140), target_url: targetUrl });
  }

  private post(repo: string, sha: string, body: { state: State; context: string; description: string; target_url: string }): Promise<void> {
    const key = `${repo}@${sha}`;
    const next = (this.chains.get(key) ?? Promise.resolve()).then(() => this.send(repo, sha, body));
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  /** Resolves when every status queued so far was sent (or failed). */
  async idle(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  private async send(repo: string, sha: string, body: { state: State; context: string; description: string; target_url: string }): Promise<void> {
    const url = `${this.config.apiUrl.replace(/\/+$/, "")}/repos/${repo}/statuses/${sha}`;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { authorization: `token ${this.config.token}`, "content-type": "application/json", accept: "application/vnd.github+json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) this.log(`commit status for ${repo}@${sha.slice(0, 7)}: ${res.status} ${res.statusText}`);
    } catch (e) {
      this.log(`commit status for ${repo}@${sha.slice(0, 7)}: ${(e as Error).message}`);
    }
  }
}

function stateOf(r: JobReport): State {
  if (r.result === "success") return "success";
  if (r.result === "cancelled") return "error";
  return r.continueOnError ? "success" : "failure";
}

function describe(r: JobReport): string {
  const secs = Math.round(r.durationMs / 1000);
  return `${r.result} in ${secs}s`.slice(0, 140);
}
