/**
 * A stream's text as lines, split as GitHub's runner splits a step's output (on \n, \r\n and a lone \r),
 * with a \r\n cut between two reads counted once. node:readline does the same, but its first interface
 * costs a visible share of a one-step run's start; this is all a step's output needs of it.
 */
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

const BREAK = /\r\n|\r|\n/;

/** Calls onLine for each line, the last one even without a line break, then onEnd once the stream ends. */
export function eachLine(stream: Readable, onLine: (line: string) => void, onEnd: () => void): void {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let afterCr = false;
  const take = (text: string) => {
    if (afterCr && text.startsWith("\n")) {
      text = text.slice(1);
      afterCr = false;
    }
    if (text === "") return;
    afterCr = text.endsWith("\r");
    // Only the new text is searched: a long line arriving in many reads is not scanned again each time
    // (what is kept holds no break, so it can only begin the first line).
    const parts = text.split(BREAK);
    const last = parts.pop() ?? "";
    if (parts.length === 0) {
      rest += last;
      return;
    }
    parts[0] = rest + parts[0];
    rest = last;
    for (const line of parts) onLine(line);
  };
  stream.on("data", (chunk: Buffer) => take(decoder.write(chunk)));
  stream.on("end", () => {
    take(decoder.end());
    if (rest !== "") onLine(rest);
    rest = "";
    onEnd();
  });
}
