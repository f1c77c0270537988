/** Branch protection rules, filtered workflows and pull request heads on SQLite. */
import type { Database } from "better-sqlite3";
import { branchPatternMatches } from "../protection-store.ts";
import type { FilteredWorkflow, NewProtectionRule, ProtectionRule, ProtectionStore, PullRequestHead, WorkflowVerdict } from "../protection-store.ts";

interface RuleRow { id: number; repo: string; pattern: string; requires_checks: number; strict: number; checks: string; filtered_checks_pass: number; created_at: string; updated_at: string }
interface FilteredRow { repo: string; sha: string; event: string; branch: string; workflow: string; reason: string; jobs: string; trigger_id: number; recorded_at: string }
interface PullRow { data: string }

const ruleFromRow = (r: RuleRow): ProtectionRule => ({
  id: r.id,
  repo: r.repo,
  pattern: r.pattern,
  requiresChecks: r.requires_checks === 1,
  strict: r.strict === 1,
  checks: JSON.parse(r.checks) as string[],
  filteredChecksPass: r.filtered_checks_pass === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const filteredFromRow = (r: FilteredRow): FilteredWorkflow => ({
  repo: r.repo,
  sha: r.sha,
  event: r.event,
  branch: r.branch,
  workflow: r.workflow,
  reason: r.reason,
  jobs: JSON.parse(r.jobs) as string[],
  triggerId: r.trigger_id,
  recordedAt: r.recorded_at,
});

/** A stored pull_request trigger's data, as the webhook receiver wrote it (see server/hooks.ts). */
function pullFromRow(r: PullRow): PullRequestHead | null {
  const d = JSON.parse(r.data) as { sha?: unknown; baseRef?: unknown; payload?: { number?: unknown; pull_request?: { number?: unknown } } };
  const number = Number(d.payload?.number ?? d.payload?.pull_request?.number);
  if (typeof d.sha !== "string" || typeof d.baseRef !== "string" || !Number.isInteger(number)) return null;
  return { number, sha: d.sha, baseRef: d.baseRef };
}

export class SqliteProtection implements ProtectionStore {
  constructor(private readonly db: Database) {}

  async isProtected(repo: string, branch: string): Promise<boolean> {
    return (await this.listRules(repo)).some((r) => branchPatternMatches(r.pattern, branch));
  }

  async putRule(repo: string, rule: NewProtectionRule): Promise<{ rule: ProtectionRule; created: boolean }> {
    const now = new Date().toISOString();
    const values = [rule.requiresChecks ? 1 : 0, rule.strict ? 1 : 0, JSON.stringify(rule.checks), rule.filteredChecksPass ? 1 : 0, now] as const;
    const created = this.db.transaction(() => {
      const updated = this.db
        .prepare("UPDATE protection_rules SET requires_checks = ?, strict = ?, checks = ?, filtered_checks_pass = ?, updated_at = ? WHERE repo = ? AND pattern = ?")
        .run(...values, repo, rule.pattern);
      if (updated.changes > 0) return false;
      this.db
        .prepare("INSERT INTO protection_rules (requires_checks, strict, checks, filtered_checks_pass, updated_at, repo, pattern, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .run(...values, repo, rule.pattern, now);
      return true;
    })();
    return { rule: (await this.getRule(repo, rule.pattern)) as ProtectionRule, created };
  }

  async getRule(repo: string, pattern: string): Promise<ProtectionRule | null> {
    const row = this.db.prepare<[string, string], RuleRow>("SELECT * FROM protection_rules WHERE repo = ? AND pattern = ?").get(repo, pattern);
    return row ? ruleFromRow(row) : null;
  }

  async listRules(repo: string): Promise<ProtectionRule[]> {
    return this.db.prepare<[string], RuleRow>("SELECT * FROM protection_rules WHERE repo = ? ORDER BY id").all(repo).map(ruleFromRow);
  }

  async deleteRule(repo: string, pattern: string): Promise<boolean> {
    return this.db.prepare("DELETE FROM protection_rules WHERE repo = ? AND pattern = ?").run(repo, pattern).changes > 0;
  }

  async recordTriggerVerdicts(at: { repo: string; sha: string; event: string; branch: string; triggerId: number }, verdicts: WorkflowVerdict[]): Promise<void> {
    const now = new Date().toISOString();
    const key = [at.repo, at.sha, at.event, at.branch] as const;
    const drop = this.db.prepare("DELETE FROM filtered_workflows WHERE repo = ? AND sha = ? AND event = ? AND branch = ? AND workflow = ?");
    const put = this.db.prepare(
      "INSERT OR REPLACE INTO filtered_workflows (repo, sha, event, branch, workflow, reason, jobs, trigger_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.db.transaction(() => {
      for (const v of verdicts) {
        if (v.filtered) put.run(...key, v.workflow, v.filtered.reason, JSON.stringify(v.filtered.jobs), at.triggerId, now);
        else drop.run(...key, v.workflow);
      }
    })();
  }

  async filteredAt(repo: string, sha: string): Promise<FilteredWorkflow[]> {
    return this.db
      .prepare<[string, string], FilteredRow>("SELECT * FROM filtered_workflows WHERE repo = ? AND sha = ? ORDER BY recorded_at, workflow")
      .all(repo, sha)
      .map(filteredFromRow);
  }

  async pullRequest(repo: string, number: number): Promise<PullRequestHead | null> {
    const row = this.db
      .prepare<[string, number], PullRow>("SELECT data FROM triggers WHERE event = 'pull_request' AND repo = ? AND json_extract(data, '$.payload.number') = ? ORDER BY id DESC LIMIT 1")
      .get(repo, number);
    return row ? pullFromRow(row) : null;
  }

  async pullRequestsAt(repo: string, sha: string): Promise<PullRequestHead[]> {
    const rows = this.db
      .prepare<[string, string], PullRow>("SELECT data FROM triggers WHERE event = 'pull_request' AND repo = ? AND json_extract(data, '$.sha') = ? ORDER BY id DESC")
      .all(repo, sha);
    const out: PullRequestHead[] = [];
    for (const pr of rows.map(pullFromRow)) {
      // Only pull requests whose newest trigger still has this head: a later push moved the others on.
      if (!pr || out.some((o) => o.number === pr.number)) continue;
      const newest = await this.pullRequest(repo, pr.number);
      if (newest?.sha === sha) out.push(newest);
    }
    return out;
  }
}
