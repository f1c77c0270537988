// Log worker: fetching, decoding and JSON-parsing a long log stream is most of its cost, so it
// happens here, off the page's main thread. The page receives ready columns (see batch.ts).
import { transferables, type LineBatch, type WorkerMessage, type WorkerStart } from "./batch.ts";
import { followLog } from "./stream.ts";

// The dashboard's tsconfig has the DOM library, not WebWorker; this is the part of the worker
// scope used here.
const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<WorkerStart>) => void) | null;
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
};

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

scope.onmessage = (ev) => {
  const { jobId, token } = ev.data;
  const controller = new AbortController();
  const open = async (url: string, signal: AbortSignal): Promise<Response> => {
    const headers: Record<string, string> = { Accept: "text/event-stream" };
    if (token) headers["Authorization"] = `Bearer ${token}`;
    const res = await fetch(url, { signal, headers });
    if (res.status === 401) {
      scope.postMessage({ type: "unauthorized" });
      throw new HttpError(401, "unauthorized");
    }
    if (!res.ok) throw new HttpError(res.status, await errorMessage(res));
    return res;
  };
  void followLog(jobId, controller.signal, {
    lines: (batch: LineBatch) => scope.postMessage({ type: "lines", batch }, transferables(batch)),
    done: () => scope.postMessage({ type: "done" }),
    problem: (message) => scope.postMessage({ type: "problem", message }),
  }, open);
};

async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { message?: unknown };
    if (typeof body.message === "string") return body.message;
  } catch {
    // fall through to the status line
  }
  return `${res.status} ${res.statusText}`.trim();
}
