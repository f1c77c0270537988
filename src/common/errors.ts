/**
 * Engine faults and refused input, one class per condition. The CLI maps them to exit codes and the
 * server (later) to HTTP statuses in `exitCodeOf` / `httpStatusOf`, nowhere else.
 */
import type { Diagnostic } from "./diagnostic.ts";

export abstract class SlipwayError extends Error {
  abstract readonly kind: "input" | "not-found" | "conflict" | "internal";
}

/** Thrown when what the user gave (flags, files, inputs) cannot be run; carries positioned diagnostics. */
export class InputError extends SlipwayError {
  readonly kind = "input" as const;
  constructor(message: string, readonly diagnostics: Diagnostic[] = []) {
    super(message);
  }
}

/** Thrown when a named thing (run, job, workflow file) does not exist. */
export class NotFoundError extends SlipwayError {
  readonly kind = "not-found" as const;
}

/** Thrown when the engine itself breaks; a bug or an environment fault, not the user's mistake. */
export class InternalError extends SlipwayError {
  readonly kind = "internal" as const;
}

export const EXIT = { ok: 0, runFailed: 1, lintErrors: 1, badInput: 2, internal: 3 } as const;

export function exitCodeOf(err: unknown): number {
  if (err instanceof InputError || err instanceof NotFoundError) return EXIT.badInput;
  return EXIT.internal;
}

export function httpStatusOf(err: unknown): number {
  if (err instanceof InputError) return 422;
  if (err instanceof NotFoundError) return 404;
  return 500;
}
