/**
 * The Git facts the merge gate needs from a repository's bare mirror: a commit id from what a person
 * typed, and whether a commit contains a branch's tip ("require branches to be up to date").
 */
import { execFile } from "node:child_process";
import { InputError, NotFoundError } from "../../common/errors.ts";
import type { RepoRecord } from "../../store/server-store.ts";
import type { App } from "../app.ts";
import { gitAsync } from "../repos/git.ts";

const FULL_SHA = /^[0-9a-f]{40}$/i;

/** A full commit id: given as one, or an abbreviation the mirror knows. */
export async function resolveCommit(app: App, repo: RepoRecord, given: string): Promise<string> {
  if (FULL_SHA.test(given)) return given.toLowerCase();
  if (!/^[0-9a-f]{4,39}$/i.test(given)) throw new InputError(`'${given}' is not a commit id (hexadecimal, 4 to 40 digits)`);
  await app.mirrors.ensure(repo.fullName, repo.url);
  const out = await gitAsync(["rev-parse", "-q", "--verify", `${given}^{commit}`], app.mirrors.mirrorDir(repo.fullName)).catch(() => "");
  if (!out.trim()) throw new NotFoundError(`no commit ${given} in ${repo.fullName}`);
  return out.trim();
}

/** Whether `sha` contains the branch's current tip (fetched now); a branch that does not exist yet is no constraint. */
export async function containsBranchTip(app: App, repo: RepoRecord, sha: string, branch: string): Promise<boolean> {
  const tip = await app.mirrors.branchHead(repo.fullName, repo.url, branch);
  if (!tip) return true;
  try {
    await app.mirrors.fetchCommit(repo.fullName, repo.url, sha);
  } catch {
    throw new NotFoundError(`no commit ${sha} in ${repo.fullName}`);
  }
  return isAncestor(app.mirrors.mirrorDir(repo.fullName), tip, sha);
}

/** `git merge-base --is-ancestor`: exit 0 yes, 1 no, anything else is git failing. */
function isAncestor(dir: string, ancestor: string, descendant: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    execFile("git", ["merge-base", "--is-ancestor", ancestor, descendant], { cwd: dir }, (err, _out, stderr) => {
      if (!err) resolve(true);
      else if (err.code === 1) resolve(false);
      else reject(new Error(`git merge-base --is-ancestor: ${String(stderr).trim() || err.message}`));
    });
  });
}
