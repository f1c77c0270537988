/**
 * Engine faults and refused input, one class per condition. The CLI maps them to exit codes and the
 * server (later) to HTTP statuses in `exitCodeOf` / `httpStatusOf`, nowhere else.
 */
import type { Diagnostic } from "./diagnostic.ts";

export abstract class SlipwayError extends Error {
  abstract readonly kind: "input" | "not-found" | "conflict" | "unauthenticated" | "forbidden" | "internal";
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

/** Thrown when the request clashes with the current state: a name taken, a run already finished. */
export class ConflictError extends SlipwayError {
  readonly kind = "conflict" as const;
}

/** No valid credentials were given. */
export class UnauthenticatedError extends SlipwayError {
  readonly kind = "unauthenticated" as const;
}

/** Valid credentials that may not do this. */
export class ForbiddenError extends SlipwayError {
  readonly kind = "forbidden" as const;
}

/** Thrown when the engine itself breaks; a bug or an environment fault, not the user's mistake. */
export class InternalError extends SlipwayError {
  readonly kind = "internal" as const;
}

export const EXIT = { ok: 0, runFailed: 1, lintErrors: 1, badInput: 2, internal: 3 } as const;

export function exitCodeOf(err: unknown): number {
  if (err instanceof SlipwayError && err.kind !== "internal") return EXIT.badInput;
  return EXIT.internal;
}

export function httpStatusOf(err: unknown): number {
  if (!(err instanceof SlipwayError)) return 500;
  switch (err.kind) {
    case "input":
      return 422;
    case "not-found":
      return 404;
    case "conflict":
      return 409;
    case "unauthenticated":
      return 401;
    case "forbidden":
      return 403;
    case "internal":
      return 500;
  }
}
