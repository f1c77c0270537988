/**
 * Finds actions: local folders in the workspace, and remote `owner/repo[/path]@ref` fetched with git
 * from `--actions-url` and cached by commit under the data dir.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { ActionModel } from "../../workflow/model.ts";
import { formatDiagnostic } from "../../common/diagnostic.ts";

const run = promisify(execFile);

export class ActionError extends Error {}

export interface LoadedAction {
  model: ActionModel;
  /** Host path of the action's folder. */
  dir: string;
  /** owner/repo for remote actions, "" for local ones. */
  repository: string;
  ref: string;
}

export interface RemoteRef {
  owner: string;
  repo: string;
  subPath: string;
  ref: string;
}

export function parseRemote(uses: string): RemoteRef | null {
  const at = uses.lastIndexOf("@");
  if (at < 0) return null;
  const [owner, repo, ...rest] = uses.slice(0, at).split("/");
  if (!owner || !repo) return null;
  return { owner, repo, subPath: rest.join("/"), ref: uses.slice(at + 1) };
}

export class ActionLoader {
  private readonly fetching = new Map<string, Promise<string>>();

  constructor(private readonly cacheDir: string, private readonly actionsUrl: string) {}

  /** GitHub's parser is loaded on first use: a run without actions starts without it. */
  async loadDir(dir: string, label: string, repository = "", ref = ""): Promise<LoadedAction> {
    const file = ["action.yml", "action.yaml"].map((f) => path.join(dir, f)).find((f) => existsSync(f));
    if (!file) {
      if (existsSync(path.join(dir, "Dockerfile"))) {
        return { dir, repository, ref, model: { name: label, description: "", inputs: {}, outputs: {}, runs: { using: "docker", image: "Dockerfile", env: null, args: [], preIf: "always()", postIf: "always()" } } };
      }
      throw new ActionError(`Can't find 'action.yml' or 'action.yaml' for action '${label}' under ${dir}. Did you forget to run actions/checkout before running your local action?`);
    }
    const { loadAction } = await import("../../workflow/load-action.ts");
    const { model, diagnostics } = loadAction(path.basename(file), readFileSync(file, "utf8"));
    if (!model) throw new ActionError(`Invalid action '${label}':\n${diagnostics.map(formatDiagnostic).join("\n")}`);
    return { model, dir, repository, ref };
  }

  async loadRemote(r: RemoteRef, uses: string): Promise<LoadedAction> {
    const root = await this.fetch(r, uses);
    return this.loadDir(path.join(root, r.subPath), uses, `${r.owner}/${r.repo}`, r.ref);
  }

  /** Returns the cached checkout for a repository at a ref; one fetch per ref even when steps race. */
  fetch(r: RemoteRef, uses: string): Promise<string> {
    const key = `${r.owner}/${r.repo}@${r.ref}`;
    let p = this.fetching.get(key);
    if (!p) {
      p = this.doFetch(r, uses);
      this.fetching.set(key, p);
    }
    return p;
  }

  private async doFetch(r: RemoteRef, uses: string): Promise<string> {
    const urls = [`${this.actionsUrl}/${r.owner}/${r.repo}`, `${this.actionsUrl}/${r.owner}/${r.repo}.git`];
    let lastError = "";
    for (const url of urls) {
      const sha = await resolveRemote(url, r.ref).catch((e: Error) => {
        lastError = e.message;
        return null;
      });
      if (!sha) continue;
      const dest = path.join(this.cacheDir, r.owner, r.repo, sha);
      if (existsSync(dest)) return dest;
      await mkdir(path.dirname(dest), { recursive: true });
      // A folder of its own per fetch: two refs naming one commit may be fetched at the same time.
      const tmp = await mkdtemp(`${dest}.tmp-`);
      await run("git", ["init", "-q", tmp]);
      await run("git", ["-C", tmp, "-c", "uploadpack.allowAnySHA1InWant=true", "fetch", "-q", "--depth=1", url, sha]);
      await run("git", ["-C", tmp, "checkout", "-q", "--detach", "FETCH_HEAD"]);
      await rename(tmp, dest).catch(async () => rm(tmp, { recursive: true, force: true }));
      return dest;
    }
    throw new ActionError(
      `Unable to resolve action '${uses}': no repository '${r.owner}/${r.repo}' with ref '${r.ref}' at ${this.actionsUrl}` +
        `${lastError ? ` (${lastError.split("\n")[0]})` : ""}. Provide it with --actions-url pointing at a Git server (or folder of bare repositories <owner>/<repo>[.git]) that has it, or vendor it into the repository and use it as a local action (uses: ./path).`,
    );
  }
}

/**
 * The commit `ref` names, as GitHub resolves `uses: …@ref`: a tag first (peeled when annotated), then
 * a branch, then a full commit sha. ls-remote's patterns match ref tails (`v1` would also match
 * `refs/heads/releases/v1`), so only exact names are taken from its answer.
 */
async function resolveRemote(url: string, ref: string): Promise<string | null> {
  const { stdout } = await run("git", ["ls-remote", url, `refs/tags/${ref}`, `refs/tags/${ref}^{}`, `refs/heads/${ref}`], { timeout: 60_000 });
  const refs = new Map(stdout.split("\n").filter(Boolean).map((l) => [l.split("\t")[1] ?? "", l.split("\t")[0] ?? ""] as const));
  const found = refs.get(`refs/tags/${ref}^{}`) ?? refs.get(`refs/tags/${ref}`) ?? refs.get(`refs/heads/${ref}`);
  if (found) return found;
  // A commit sha is not listed by ls-remote; accept it as is.
  return /^[0-9a-f]{40}$/.test(ref) ? ref : null;
}
