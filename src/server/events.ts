/**
 * What happened on the server, for whoever listens (notifications, the merge gate's aggregate status).
 * Emitting never waits for a listener and never fails: a slow or broken listener cannot slow a run.
 */
import type { RunRecord } from "../store/store.ts";
import type { DeploymentRecord, ReviewRecord, EnvironmentRecord } from "../store/environment-store.ts";

export type ServerEvent =
  | { kind: "run.finished"; run: RunRecord }
  | { kind: "run.started"; run: RunRecord }
  | { kind: "deployment.started" | "deployment.succeeded" | "deployment.failed"; deployment: DeploymentRecord; run: RunRecord | null }
  | { kind: "approval.requested"; review: ReviewRecord; environment: EnvironmentRecord; run: RunRecord; jobs: string[] };

export type Listener = (e: ServerEvent) => void | Promise<void>;

export class ServerEvents {
  private readonly listeners = new Set<Listener>();

  constructor(private readonly log: (m: string) => void) {}

  on(f: Listener): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  emit(e: ServerEvent): void {
    for (const f of this.listeners) {
      try {
        void Promise.resolve(f(e)).catch((err: unknown) => this.log(`${e.kind} listener: ${(err as Error).message}`));
      } catch (err) {
        this.log(`${e.kind} listener: ${(err as Error).message}`);
      }
    }
  }
}
