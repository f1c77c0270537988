// Starts following a job log for the page: in a worker when the browser allows it, else inline.
import { authFetch, checked, getToken } from "../api.ts";
import { goToSignIn } from "../auth.ts";
import type { WorkerMessage, WorkerStart } from "./batch.ts";
import { followLog, type FollowHandlers } from "./stream.ts";

export function streamJobLog(jobId: number, signal: AbortSignal, on: FollowHandlers): void {
  const inline = (): void =>
    void followLog(jobId, signal, on, async (url, s) => checked(await authFetch(url, { signal: s, headers: { Accept: "text/event-stream" } })));
  let worker: Worker;
  try {
    worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  } catch {
    return inline();
  }
  let heard = false;
  signal.addEventListener("abort", () => worker.terminate());
  worker.onmessage = (ev: MessageEvent<WorkerMessage>) => {
    heard = true;
    const msg = ev.data;
    switch (msg.type) {
      case "lines":
        return on.lines(msg.batch);
      case "done":
        worker.terminate();
        return on.done();
      case "problem":
        return on.problem(msg.message);
      case "unauthorized":
        worker.terminate();
        return goToSignIn();
    }
  };
  worker.onerror = (ev) => {
    worker.terminate();
    // A worker that never started (blocked script, old browser) is replaced by the inline reader.
    if (!heard && !signal.aborted) inline();
    else on.problem(`log worker failed: ${ev.message}`);
  };
  const start: WorkerStart = { jobId, token: getToken() };
  worker.postMessage(start);
}
