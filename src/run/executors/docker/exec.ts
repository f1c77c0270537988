/**
 * One process in a running container through the Engine's exec API. Every exec is its own session
 * and process group (runc makes it so), and carries a marker variable; cancelling kills each
 * process holding the marker and its whole group, which also reaches children orphaned to PID 1.
 */
import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { eachLine } from "../lines.ts";
import type Docker from "dockerode";
import type { ExecRequest, ExecResult } from "../executor.ts";

const MARKER = "SLIPWAY_EXEC_ID";
/** Same grace as the host executor: TERM first, KILL for whatever is left. */
const KILL_GRACE_MS = 2500;

/** `docker exec` itself could not start the process (no such program, bad cwd). */
const START_FAILURE = /^OCI runtime exec failed|^exec failed|executable file not found/;

/**
 * Sent to every process whose environment holds the marker, and to its process group.
 * Plain POSIX sh plus cat and kill, so it works on Debian's dash and Alpine's busybox.
 */
const KILLER = `
m="${MARKER}=$1"; sig="$2"; self=$$
for d in /proc/[0-9]*; do
  p=\${d#/proc/}
  [ "$p" = "$self" ] && continue
  case "$(cat "$d/environ" 2>/dev/null)" in *"$m"*) ;; *) continue ;; esac
  read -r st < "$d/stat" || continue
  set -- \${st##*) }
  [ "$3" -gt 1 ] 2>/dev/null && kill -s "$sig" -- "-$3" 2>/dev/null
  kill -s "$sig" "$p" 2>/dev/null
done
exit 0
`;

export async function execInContainer(docker: Docker, container: Docker.Container, req: ExecRequest): Promise<ExecResult> {
  if (req.signal.aborted) return { exitCode: 1, aborted: true };
  const marker = randomBytes(8).toString("hex");
  const env = Object.entries({ ...req.env, [MARKER]: marker }).map(([k, v]) => `${k}=${v}`);
  const exec = await container.exec({ Cmd: req.argv, Env: env, WorkingDir: req.cwd, AttachStdout: true, AttachStderr: true, AttachStdin: false, Tty: false });
  if (req.signal.aborted) return { exitCode: 1, aborted: true };
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    void killMarked(container, marker, "TERM");
    setTimeout(() => void killMarked(container, marker, "KILL"), KILL_GRACE_MS).unref();
  };
  req.signal.addEventListener("abort", onAbort, { once: true });
  try {
    const stream = await exec.start({ hijack: true, stdin: false });
    // An abort that came while the exec was being set up found nothing to kill yet.
    if (aborted) void killMarked(container, marker, "TERM");
    const held: string[] = [];
    await pumpLines(docker, stream, (line, name) => {
      // A start failure is reported as output; keep it back until the exit code tells.
      if (held.length === 0 && name === "stdout" && START_FAILURE.test(line)) held.push(line);
      else req.onLine(line, name);
    });
    const exitCode = await exitCodeOf(exec);
    if (held.length && (exitCode === 126 || exitCode === 127)) throw new Error(`could not start ${req.argv[0]}: ${held.join(" ")}`);
    for (const line of held) req.onLine(line, "stdout");
    return { exitCode, aborted };
  } finally {
    req.signal.removeEventListener("abort", onAbort);
  }
}

/** Reads the multiplexed stream to its end, calling back per complete line and stream. */
export function pumpLines(docker: Docker, stream: NodeJS.ReadWriteStream, onLine: (line: string, name: "stdout" | "stderr") => void): Promise<void> {
  const out = new PassThrough();
  const err = new PassThrough();
  docker.modem.demuxStream(stream, out, err);
  const closed = [out, err].map(
    (s, i) =>
      new Promise<void>((resolve) => eachLine(s, (l) => onLine(l, i === 0 ? "stdout" : "stderr"), resolve)),
  );
  const end = () => {
    out.end();
    err.end();
  };
  stream.on("end", end);
  stream.on("close", end);
  stream.on("error", end);
  return Promise.all(closed).then(() => undefined);
}

/** The Engine may report the exit a moment after the output ends. */
async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  for (let i = 0; ; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, Math.min(50 * (i + 1), 500)));
  }
}

async function killMarked(container: Docker.Container, marker: string, sig: "TERM" | "KILL"): Promise<void> {
  try {
    await runQuiet(container, ["sh", "-c", KILLER, "slipway-kill", marker, sig], "0");
  } catch {
    /* the container is gone: so are its processes */
  }
}

/** Runs a helper command to completion, discarding its output; returns its exit code and stdout. */
export async function runQuiet(container: Docker.Container, cmd: string[], user?: string, env?: string[]): Promise<{ exitCode: number; stdout: string }> {
  const exec = await container.exec({ Cmd: cmd, User: user, Env: env, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", resolve);
  });
  const stdout = framedStdout(Buffer.concat(chunks));
  return { exitCode: await exitCodeOf(exec), stdout };
}

/** The stdout frames of a multiplexed buffer. */
function framedStdout(buf: Buffer): string {
  const parts: Buffer[] = [];
  for (let at = 0; at + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(at + 4);
    if (buf[at] === 1) parts.push(buf.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString("utf8");
}
