/**
 * A step's output is split into lines as node:readline (and GitHub's runner) split it, however the
 * bytes arrive: readline is the oracle, fed the same chunks.
 */
import assert from "node:assert/strict";
import { createInterface } from "node:readline";
import { PassThrough } from "node:stream";
import { it } from "node:test";
import { eachLine } from "../../src/run/executors/lines.ts";

const TEXTS = [
  "one\ntwo\n",
  "no newline at the end",
  "crlf\r\nlines\r\n",
  "lone\rcarriage\rreturns",
  "mixed\n\r\n\r\r\n\n",
  "",
  "\n",
  "\r",
  "trailing cr\r",
  "ümlaut and 漢字 and 🚀 split across reads\nsecond\r\nthird",
];

function lines(chunks: Buffer[], split: (s: PassThrough, on: (l: string) => void, end: () => void) => void): Promise<string[]> {
  return new Promise((resolve) => {
    const s = new PassThrough();
    const got: string[] = [];
    split(s, (l) => got.push(l), () => resolve(got));
    for (const c of chunks) s.write(c);
    s.end();
  });
}

const viaReadline = (s: PassThrough, on: (l: string) => void, end: () => void) => {
  const rl = createInterface({ input: s, crlfDelay: Infinity });
  rl.on("line", on);
  rl.on("close", end);
};

/** Every way of cutting the bytes in two, and byte by byte. */
function chunkings(bytes: Buffer): Buffer[][] {
  const out: Buffer[][] = [[bytes], [...bytes].map((b) => Buffer.from([b]))];
  for (let i = 1; i < bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)]);
  return out;
}

void it("splits lines as readline does, however the bytes are cut", async () => {
  for (const text of TEXTS) {
    for (const chunks of chunkings(Buffer.from(text, "utf8"))) {
      const expected = await lines(chunks, viaReadline);
      assert.deepEqual(await lines(chunks, eachLine), expected, `${JSON.stringify(text)} cut as ${JSON.stringify(chunks.map((c) => c.toString("latin1")))}`);
    }
  }
});
