/**
 * A container's output so far, stdout and stderr in the order they were written, as `docker logs`
 * shows it. Non-TTY logs come framed: an 8-byte header (stream, 0, 0, 0, size) before each chunk.
 */
export async function containerLogs(container: { logs(opts: { stdout: boolean; stderr: boolean; follow: false }): Promise<Buffer> }): Promise<string> {
  const raw = await container.logs({ stdout: true, stderr: true, follow: false });
  return unframe(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
}

export function unframe(buf: Buffer): string {
  const chunks: Buffer[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const size = buf.readUInt32BE(at + 4);
    chunks.push(buf.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(chunks).toString("utf8");
}
