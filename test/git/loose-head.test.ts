/**
 * Reading HEAD's commit and changed files straight from `.git` gives what git itself gives (readRepo
 * with GIT_DIR set always asks git), and steps aside where git must answer.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import { discover } from "../../src/git/discover.ts";
import { readLooseHead } from "../../src/git/loose-head.ts";
import { readRepo } from "../../src/git/repo.ts";
import { tmpDir } from "../helpers/cli.ts";

let repo = "";

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "Mo Merger", GIT_AUTHOR_EMAIL: "m@example.com", GIT_COMMITTER_NAME: "Cee Committer", GIT_COMMITTER_EMAIL: "c@example.com" } });
}

function write(files: Record<string, string>): void {
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
    writeFileSync(path.join(repo, f), text);
  }
}

function commit(message: string, date = "2024-03-04T05:06:07+0000", author = "Ann Author <a@example.com>"): void {
  git("add", "-A");
  git("commit", "-q", "--allow-empty", "-m", message, `--author=${author}`, `--date=${date}`);
}

function fast() {
  const d = discover(repo);
  assert.ok(d);
  return readLooseHead(d.root, d.gitDir, d.commonDir, d.headRef, d.configs);
}

/** The fast reader answered, and readRepo agrees with git's own answer. */
async function agreesWithGit(expectFast: boolean): Promise<void> {
  assert.equal(fast() !== null, expectFast, expectFast ? "read from .git" : "left to git");
  const mine = await readRepo(repo);
  process.env.GIT_DIR = path.join(repo, ".git");
  try {
    assert.deepEqual(mine, await readRepo(repo));
  } finally {
    delete process.env.GIT_DIR;
  }
}

/** A new repository, seen with only this test's settings: a user's [diff] or [log] would send every case to git. */
function freshRepo(prefix: string): void {
  const home = tmpDir("slipway-home-");
  process.env.HOME = home;
  process.env.XDG_CONFIG_HOME = path.join(home, ".config");
  repo = tmpDir(prefix);
  git("init", "-q", "-b", "main");
}

void describe("HEAD read from loose objects", () => {
  before(() => freshRepo("slipway-loose-"));

  void it("a root commit lists every file, in git's order", async () => {
    write({ "a-b": "2", a0: "3", "a/b/c.txt": "4", "dir with space/é.md": "5", "z/y": "6" });
    symlinkSync("a0", path.join(repo, "link"));
    commit("first\n\nbody line\n\n\n");
    await agreesWithGit(true);
    assert.equal((await readRepo(repo)).changedFiles.length, 6);
  });

  void it("changes, additions in new folders and mode changes against the parent", async () => {
    // a.txt sorts before the folder a (git orders a folder as "a/"), which a plain name order gets wrong.
    write({ "a.txt": "1", "a/b/c.txt": "changed", "new/deep/file": "x" });
    chmodSync(path.join(repo, "a0"), 0o755);
    commit("second", "2020-02-03T04:05:06-0130", "Bob  <b@example.com>");
    await agreesWithGit(true);
  });

  void it("deletions alone, an empty commit, a detached HEAD and packed refs", async () => {
    rmSync(path.join(repo, "z"), { recursive: true });
    commit("only deletions", "2021-06-07T08:09:10+0545");
    await agreesWithGit(true);
    commit("nothing changed");
    await agreesWithGit(true);
    git("checkout", "-q", "--detach");
    await agreesWithGit(true);
    git("checkout", "-q", "main");
    git("pack-refs", "--all");
    await agreesWithGit(true);
  });

  void it("a merge is compared with its first parent", async () => {
    git("checkout", "-q", "-b", "side");
    write({ "side.txt": "s" });
    commit("on side");
    git("checkout", "-q", "main");
    write({ "main.txt": "m" });
    commit("on main");
    git("merge", "-q", "--no-ff", "-m", "merge side", "side");
    await agreesWithGit(true);
  });

  void it("leaves possible renames and packed objects to git", async () => {
    rmSync(path.join(repo, "a.txt"));
    write({ "renamed.txt": "1" });
    commit("rename");
    await agreesWithGit(false);
    write({ "after-gc.txt": "g" });
    commit("then packed");
    git("gc", "-q");
    await agreesWithGit(false);
  });
});

void describe("HEAD left to git where its answer could differ", () => {
  before(() => {
    freshRepo("slipway-loose-odd-");
    write({ "a.txt": "1" });
    commit("first");
  });

  void it("a submodule entry (git may be told to ignore it)", async () => {
    const sha = git("rev-parse", "HEAD").trim();
    git("update-index", "--add", "--cacheinfo", `160000,${sha},sm`);
    git("commit", "-q", "-m", "add a gitlink"); // not `add -A`, which would drop the gitlink (no folder)
    await agreesWithGit(false);
    write({ "b.txt": "2" });
    git("add", "b.txt");
    git("commit", "-q", "-m", "after the gitlink");
    await agreesWithGit(true); // the gitlink is unchanged: read from .git again
  });

  void it("a [log] section written after another on the same line", async () => {
    const config = path.join(repo, ".git", "config");
    const before = readFileSync(config, "utf8");
    writeFileSync(config, `${before}[core][log]showRoot=false\n`);
    try {
      await agreesWithGit(false);
    } finally {
      writeFileSync(config, before);
    }
  });

  void it("a commit whose author date has no four-digit year, or whose headers are out of order", async () => {
    const tree = git("rev-parse", "HEAD^{tree}").trim();
    const parent = git("rev-parse", "HEAD").trim();
    for (const headers of [
      `tree ${tree}\nparent ${parent}\nauthor A <a@example.com> 99999999999999 +0000\ncommitter C <c@example.com> 1700000000 +0000\n`,
      `tree ${tree}\nauthor A <a@example.com> 1700000000 +0000\nparent ${parent}\ncommitter C <c@example.com> 1700000000 +0000\n`,
      `tree ${tree}\nparent ${parent}\nauthor A <a@example.com> 1700000000 +0000\nauthor B <b@example.com> 1700000000 +0000\ncommitter C <c@example.com> 1700000000 +0000\n`,
    ]) {
      const sha = execFileSync("git", ["hash-object", "-t", "commit", "-w", "--literally", "--stdin"], { cwd: repo, input: `${headers}\nodd\n`, encoding: "utf8" }).trim();
      git("update-ref", "refs/heads/main", sha);
      assert.equal(fast(), null, headers);
      await readRepo(repo); // git answers; no crash on the way
    }
    git("update-ref", "refs/heads/main", parent);
  });
});
