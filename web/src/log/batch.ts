// Log lines travel from the stream reader to the viewer as columns: numbers in transferable typed
// arrays and all texts joined into one string with end offsets. Copying one long string between
// threads is a memcpy; copying 200,000 small strings or objects costs the page real time.
import type { LogLine } from "../types.ts";

export interface LineBatch {
  seq: Float64Array;
  /** Step index, or -1 for a line outside any step. */
  step: Int32Array;
  /** Milliseconds since the epoch (NaN when the server's stamp did not parse). */
  time: Float64Array;
  /** Every line's text, back to back; line i ends at ends[i] and starts where line i-1 ended. */
  text: string;
  ends: Uint32Array;
}

export function toBatch(lines: LogLine[]): LineBatch {
  const n = lines.length;
  const seq = new Float64Array(n);
  const step = new Int32Array(n);
  const time = new Float64Array(n);
  const ends = new Uint32Array(n);
  const texts = new Array<string>(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const l = lines[i] as LogLine;
    seq[i] = l.seq;
    step[i] = l.step ?? -1;
    time[i] = Date.parse(l.ts);
    texts[i] = l.text;
    at += l.text.length;
    ends[i] = at;
  }
  return { seq, step, time, text: texts.join(""), ends };
}

export const transferables = (b: LineBatch): Transferable[] => [b.seq.buffer, b.step.buffer, b.time.buffer, b.ends.buffer] as Transferable[];

/** What the log worker posts back. */
export type WorkerMessage =
  | { type: "lines"; batch: LineBatch }
  | { type: "done" }
  | { type: "problem"; message: string | null }
  | { type: "unauthorized" };

/** What the page posts to the log worker. */
export interface WorkerStart {
  jobId: number;
  token: string | null;
}
