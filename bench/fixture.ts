// Throw-away git repositories for the benchmark, committed on `main` as slipway expects.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export function makeRepo(dir: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  const git = (...args: string[]): void => {
    execFileSync("git", args, { cwd: dir, stdio: "ignore", timeout: 30_000 });
  };
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-q", "-m", "bench");
  return dir;
}
