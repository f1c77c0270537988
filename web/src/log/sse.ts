// Server-sent events read from a fetch body (EventSource cannot send the Authorization header).
// Frames are `field: value` lines ended by a blank line; only `event` and `data` matter here.
//
// Frame ends are found in the raw bytes (LF LF, as Slipway's server writes them) and each frame is
// decoded once: appending decoded chunks to a growing string and searching it again made a
// multi-megabyte burst quadratic, and a frame never splits a UTF-8 sequence since LF is ASCII.

/** Return false from onEvent to stop reading (the stream is then cancelled). */
export type EventHandler = (event: string, data: string) => boolean | void;

const LF = 10;
const SLICE_MS = 6;

function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: EventHandler): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let parts: Uint8Array[] = [];
  let pendingEndsWithLf = false;
  const emit = (): boolean | void => {
    const frame = decoder.decode(join(parts));
    parts = [];
    return dispatch(frame, onEvent);
  };
  let slice = performance.now();
  try {
    for (;;) {
      // Chunks already buffered resolve read() as microtasks, which never let the page paint or
      // take input; after a few milliseconds of parsing, yield a whole task.
      if (performance.now() - slice > SLICE_MS) {
        await nextTask();
        slice = performance.now();
      }
      const { value, done } = await reader.read();
      if (done) return;
      if (!value.length) continue;
      let from = 0;
      if (pendingEndsWithLf && value[0] === LF) {
        from = 1;
        if (emit() === false) return void (await reader.cancel());
      }
      for (;;) {
        const end = blankLine(value, from);
        if (end < 0) break;
        parts.push(value.subarray(from, end));
        from = end + 2;
        if (emit() === false) return void (await reader.cancel());
        if (performance.now() - slice > SLICE_MS) {
          await nextTask();
          slice = performance.now();
        }
      }
      pendingEndsWithLf = from < value.length && value[value.length - 1] === LF;
      if (from < value.length) parts.push(value.subarray(from));
    }
  } finally {
    reader.releaseLock();
  }
}

/** Index of the first LF LF at or after `from`, or -1. */
function blankLine(bytes: Uint8Array, from: number): number {
  let i = bytes.indexOf(LF, from);
  while (i >= 0 && i + 1 < bytes.length) {
    if (bytes[i + 1] === LF) return i;
    i = bytes.indexOf(LF, i + 1);
  }
  return -1;
}

function join(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function dispatch(frame: string, onEvent: EventHandler): boolean | void {
  let event = "message";
  const data: string[] = [];
  for (const raw of frame.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (!data.length && event === "message") return;
  return onEvent(event, data.join("\n"));
}
