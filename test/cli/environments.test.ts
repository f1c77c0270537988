/**
 * `slipway run` honours `.slipway.yml` environments: a reviewer gate is passed with --approve or
 * answered on a terminal, and without either fails the job with how to approve (never hangs); branch
 * policies and wait timers apply as on the server.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { BIN, gitRepo, slipway, tmpDir } from "../helpers/cli.ts";

const WORKFLOW = `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: echo deployed
  preview:
    runs-on: ubuntu-latest
    environment: preview
    steps:
      - run: echo previewed
`;

const CONFIG = `environments:
  production:
    reviewers: [alice, "@ops"]
    wait-timer: 1
    branches: [main, "release/*"]
`;

const repo = (config = CONFIG, branch = "main") => gitRepo({ ".github/workflows/deploy.yml": WORKFLOW, ".slipway.yml": config }, { branch });
const run = (dir: string, args: string[] = []) => slipway(["run", "-C", dir, "--json", "--data-dir", tmpDir(), ...args], { env: { SLIPWAY_MINUTE_MS: "300" } });
const results = (json: any) => Object.fromEntries(json.runs[0].jobs.map((j: any) => [j.id, j.result]));

void describe("slipway run with .slipway.yml environments", () => {
  void it("without a terminal or --approve, fails the gated job saying how to approve", () => {
    const r = run(repo());
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(results(r.json), { deploy: "failure", preview: "success" });
    assert.match(r.stderr, /production needs a review \(reviewers: alice, @ops\): run again with --approve production/);
  });

  void it("--approve passes the review, then the wait timer holds the job", () => {
    const r = run(repo(), ["--approve", "production"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(results(r.json), { deploy: "success", preview: "success" });
    assert.match(r.stderr, /Approved with --approve production/);
    assert.match(r.stderr, /Waiting timer: 1 minute\(s\) before deploying to production/);
  });

  void it("a branch outside the policy fails the job naming the policy", () => {
    const r = run(repo(CONFIG, "feature"), ["--approve", "production"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Branch "feature" is not allowed to deploy to production due to environment protection rules: the policy allows branch 'main', branch 'release\/\*'/);
  });

  void it("asks on a terminal: y approves, anything else rejects", () => {
    const dir = repo();
    const onTty = (answer: string) => spawnSync("script", ["-qec", `${process.execPath} ${BIN} run -C ${dir} --data-dir ${tmpDir()}`, "/dev/null"], { input: `${answer}\n`, encoding: "utf8", env: { ...process.env, SLIPWAY_MINUTE_MS: "100" }, timeout: 60_000 });
    const yes = onTty("y");
    assert.equal(yes.status, 0, yes.stdout);
    assert.match(yes.stdout, /Deploy deploy to production\? \(reviewers: alice, @ops\) \[y\/N\]/);
    const no = onTty("n");
    assert.equal(no.status, 1, no.stdout);
    assert.match(no.stdout, /Deployment to production was rejected at the terminal/);
  });

  void it("a mistake in the environments is a positioned error with exit 2", () => {
    const r = run(repo("environments:\n  production:\n    wait-timer: soon\n"));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.slipway\.yml:3:17: error: environments\.production\.wait-timer must be whole minutes/);
  });
});
