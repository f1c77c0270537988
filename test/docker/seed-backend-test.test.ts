/**
 * Seed 001's backend-test job, its `services:` block unchanged (postgres:13-alpine and redis:7-alpine,
 * fixed ports 5432 and 6379, health checks), run with `slipway run` against real containers. The
 * steps that need the internet (installing uv, codecov) are replaced by steps that really connect to
 * both services with the DATABASE_URL and REDIS_URL the seed sets.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT, gitRepo, slipway, tmpDir } from "../helpers/cli.ts";
import { dockerAvailable } from "./docker-available.ts";

const SEED = readFileSync(path.join(ROOT, "test/fixtures/seeds/001_970b34d06d5b00c4/ci.yml"), "utf8");

/** The seed's backend-test job with only the internet-bound steps swapped for real connections. */
function backendTestWorkflow(): { yaml: string; services: string } {
  const start = SEED.indexOf("  backend-test:");
  const end = SEED.indexOf("\n  # Frontend Linting", start);
  const job = SEED.slice(start, end);
  const services = job.slice(job.indexOf("    services:"), job.indexOf("    steps:"));
  const steps = `    steps:
      - name: Checkout code
        uses: actions/checkout@v4

      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: \${{ env.PYTHON_VERSION }}

      - name: Run tests with coverage
        env:
          DATABASE_URL: postgresql://postgres:postgres@localhost:5432/proxy_agent_platform_test
          REDIS_URL: redis://localhost:6379/0
          TESTING: "true"
        run: |
          psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c 'CREATE TABLE t (n int); INSERT INTO t VALUES (42);' -tAc 'SELECT n FROM t' | tee db.txt
          redis-cli -u "$REDIS_URL" SET answer 42 && redis-cli -u "$REDIS_URL" GET answer | tee redis.txt
          python --version
          mkdir -p htmlcov && echo "<html>coverage</html>" > htmlcov/index.html

      - name: Upload coverage artifacts
        uses: actions/upload-artifact@v4
        with:
          name: backend-coverage
          path: htmlcov/
`;
  const head = SEED.slice(0, SEED.indexOf("jobs:"));
  return { yaml: `${head}jobs:\n${job.slice(0, job.indexOf("    steps:"))}${steps}`, services };
}

test("seed 001 backend-test runs against real postgres and redis service containers", { skip: dockerAvailable() }, () => {
  const { yaml, services } = backendTestWorkflow();
  assert.ok(SEED.includes(services), "the services block is the seed's, unchanged");
  const repo = gitRepo({ ".github/workflows/ci.yml": yaml, "README.md": "backend" });
  const data = tmpDir();
  const r = slipway(["run", "push", "-C", repo, "--data-dir", data, "--json"], { timeoutMs: 240_000 });
  assert.equal(r.code, 0, r.stderr.slice(-5000));
  const job = r.json.runs[0].jobs[0];
  assert.equal(job.name, "Backend Tests");
  assert.equal(job.result, "success");
  assert.match(r.stderr, /postgres service is healthy/);
  assert.match(r.stderr, /redis service is healthy/);
  assert.match(r.stderr, /\n\[Backend Tests\]\s+42\n/);
  assert.match(r.stderr, /Service postgres logs/);
  const left = execFileSync("docker", ["ps", "-aq", "--filter", `label=org.slipway.run=${r.json.runs[0].runId}`], { encoding: "utf8" });
  assert.equal(left.trim(), "", "no container left behind");
});
