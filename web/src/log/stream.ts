// Follows a job's log: streams from the last line seen, reconnects after a dropped connection,
// and stops at the server's `done` event, on a 401, or when the signal fires. Runs in the log
// worker (or on the page when workers are unavailable), so it takes its fetch as a parameter.
import type { LogLine } from "../types.ts";
import { toBatch, type LineBatch } from "./batch.ts";
import { readEvents } from "./sse.ts";

export interface FollowHandlers {
  lines(batch: LineBatch): void;
  done(): void;
  problem(message: string | null): void;
}

/** Resolves with a 2xx response or rejects; a rejection carrying `status: 401` ends the follow. */
export type OpenStream = (url: string, signal: AbortSignal) => Promise<Response>;

export async function followLog(jobId: number, signal: AbortSignal, on: FollowHandlers, open: OpenStream): Promise<void> {
  let after: number | null = null;
  let delay = 500;
  while (!signal.aborted) {
    let finished = false;
    try {
      const res = await open(`/api/slipway/jobs/${jobId}/logs/stream${after === null ? "" : `?after=${after}`}`, signal);
      if (!res.body) throw new Error("the log stream has no body");
      on.problem(null);
      await readEvents(res.body, (event, data) => {
        if (event === "lines") {
          const lines = JSON.parse(data) as LogLine[];
          const last = lines[lines.length - 1];
          if (!last) return true;
          after = last.seq;
          delay = 500;
          on.lines(toBatch(lines));
        } else if (event === "done") {
          finished = true;
          return false;
        }
        return true;
      });
    } catch (e) {
      if (signal.aborted || (e as { status?: unknown }).status === 401) return;
      on.problem(e instanceof Error ? e.message : String(e));
    }
    if (finished) {
      on.done();
      return;
    }
    // The connection ended without `done`: the server restarted or a proxy timed out. Resume.
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 5000);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });
}
