/** Running git for the server's mirrors: async, never through a shell, with stderr kept for the error. */
import { execFile } from "node:child_process";

/** A Git URL with its credentials (an https token) hidden: for messages, logs and API answers. */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, "$1***@");
}

export class GitError extends Error {
  constructor(message: string) {
    super(redactUrl(message));
  }
}

export function gitAsync(args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } }, (err, stdout, stderr) => {
      if (err) reject(new GitError(`git ${args.join(" ")}: ${String(stderr).trim() || err.message}`));
      else resolve(String(stdout));
    });
  });
}
