/** Reading request bodies with a size limit; a body that is not what the route expects is a 4xx, not a crash. */
import type { IncomingMessage } from "node:http";
import { InputError } from "../../common/errors.ts";

/** Webhook payloads of big pushes reach a few MB; GitHub caps deliveries at 25 MB. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

export class PayloadTooLargeError extends InputError {}

export async function readRaw(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new PayloadTooLargeError(`request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The body as a JSON object; an empty body reads as {}. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readRaw(req, 1024 * 1024);
  if (raw.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch (e) {
    throw new InputError(`Problems parsing JSON: ${(e as Error).message}`);
  }
  if (value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new InputError("the request body must be a JSON object");
  return value as Record<string, unknown>;
}

export function field(body: Record<string, unknown>, name: string, required: true): string;
export function field(body: Record<string, unknown>, name: string, required?: false): string | undefined;
export function field(body: Record<string, unknown>, name: string, required = false): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required) throw new InputError(`"${name}" wasn't supplied.`);
    return undefined;
  }
  if (typeof v !== "string") throw new InputError(`"${name}" must be a string`);
  return v;
}
