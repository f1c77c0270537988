/** The `slipway` command: dispatches to subcommands and maps errors to exit codes in one place. */
import { formatDiagnostic } from "../common/diagnostic.ts";
import { exitCodeOf, InputError, SlipwayError } from "../common/errors.ts";
import { runCommand } from "./run.ts";

const USAGE = `usage: slipway <command> [options]

  run [EVENT]     run the workflows EVENT (default push) triggers, on this machine
  lint            check workflows and local actions
  list [EVENT]    show the jobs EVENT would run, without running them
  runs            recent runs, newest first
  logs RUN [JOB]  the stored log of a run or one of its jobs
  artifacts RUN [NAME] [--download DIR]
                  the artifacts a run uploaded, or download them
  gc              remove containers, networks and volumes killed runs left behind

  server [--host H] [--port P] [--data-dir DIR] [--parallel N]
                  receive webhooks and dispatches, run workflows, serve the dashboard
  repo add OWNER/NAME URL [--webhook-secret S]     register a repository with the server
  secret set NAME [--repo OWNER/NAME]              set a secret (value on stdin)
  var set NAME [--repo OWNER/NAME]                 set a variable (value on stdin)
  notify OWNER/NAME REF OLD_SHA NEW_SHA            tell the server about a push (post-receive hook)
  env set OWNER/NAME ENV [--reviewer USER|@TEAM]... [--wait-timer MINUTES] [--prevent-self-review]
                 [--branches PATTERN]... [--admin-bypass|--no-admin-bypass]   an environment's protection rules
  approve RUN --env ENV [--comment TEXT]    approve a run's deployment to ENV (reject: the same)
  protect OWNER/NAME BRANCH --check NAME... [--strict]   require checks before merging into BRANCH
  merge-check OWNER/NAME SHA --branch BRANCH | --pr N  may it merge? exit 0 yes, 1 no
  user add NAME [--team T]... [--role R --repo O/N]... [--site-admin]  add a user (prints its first token once)
  token create NAME [--scope read|write|admin] [--user U]  create an API token (printed once)
                  client commands use $SLIPWAY_URL (default http://127.0.0.1:8080) and $SLIPWAY_TOKEN

Exit codes: 0 success, 1 a run failed (or lint found errors), 2 bad input, 3 internal error.
See README.md for every option.`;

/** `run` is loaded with the CLI; the other commands on demand, so `slipway run` starts faster. */
const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  lint: async (a) => (await import("./lint.ts")).lintCommand(a),
  list: async (a) => (await import("./inspect.ts")).listCommand(a),
  runs: async (a) => (await import("./inspect.ts")).runsCommand(a),
  logs: async (a) => (await import("./inspect.ts")).logsCommand(a),
  artifacts: async (a) => (await import("./artifacts.ts")).artifactsCommand(a),
  gc: async (a) => (await import("./gc.ts")).gcCommand(a),
  server: async (a) => (await import("./server.ts")).serverCommand(a),
  repo: async (a) => (await import("./client.ts")).repoCommand(a),
  secret: async (a) => (await import("./client.ts")).namedValueCommand("secret")(a),
  var: async (a) => (await import("./client.ts")).namedValueCommand("var")(a),
  notify: async (a) => (await import("./client.ts")).notifyCommand(a),
  protect: async (a) => (await import("./gate.ts")).protectCommand(a),
  "merge-check": async (a) => (await import("./gate.ts")).mergeCheckCommand(a),
  user: async (a) => (await import("./users.ts")).userCommand(a),
  env: async (a) => (await import("./environments.ts")).envCommand(a),
  approve: async (a) => (await import("./environments.ts")).reviewCommand("approved")(a),
  reject: async (a) => (await import("./environments.ts")).reviewCommand("rejected")(a),
  token: async (a) => (await import("./users.ts")).tokenCommand(a),
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "help" || cmd === "--help" || cmd === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (cmd === "--version") {
    process.stdout.write("slipway 0.1.0\n");
    return 0;
  }
  const command = COMMANDS[cmd];
  if (!command) throw new InputError(`unknown command '${cmd}'\n${USAGE}`);
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof InputError) {
      for (const d of err.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      if (!err.diagnostics.length) process.stderr.write(`slipway: ${err.message}\n`);
    } else if (err instanceof SlipwayError) {
      process.stderr.write(`slipway: ${err.message}\n`);
    } else {
      process.stderr.write(`slipway: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    }
    process.exitCode = exitCodeOf(err);
  },
);
