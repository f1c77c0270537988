/** Everything a request handler or the queue needs, built once by `startServer`. */
import type { Store } from "../store/store.ts";
import type { ServerStore } from "../store/server-store.ts";
import type { SecretBox } from "./secrets/secret-box.ts";
import type { Mirrors } from "./repos/mirror.ts";
import type { UrlSigner } from "./http/signed-url.ts";
import type { RunService } from "./queue/run-service.ts";
import type { TriggerQueue } from "./queue/trigger-queue.ts";
import type { Metrics } from "./metrics.ts";
import type { StatusReporter } from "./statuses.ts";
import type { WorkflowCache } from "./queue/workflows-at.ts";
import type { ServerEvents } from "./events.ts";
import type { Approvals } from "./deploy/approvals.ts";
import type { GateTiming } from "./deploy/gate.ts";

export interface ServerSettings {
  dataDir: string;
  /** Jobs that may run at once across every run. */
  parallel: number;
  actionsUrl: string;
  /** runs-on label → image or "host", as `-P` does for `slipway run`. */
  platforms: Record<string, string>;
  /** Pull requests from forks may run jobs on this machine's host (off by default: they could read the data dir). */
  allowForkHost?: boolean;
  /** The address people and Git hosts reach the server at, when it is not the one it listens on. */
  publicUrl?: string;
  /** How long a deployment review may wait before the job fails (GitHub: 30 days). */
  reviewTimeoutMinutes?: number;
}

export interface App {
  store: Store & ServerStore;
  box: SecretBox;
  mirrors: Mirrors;
  workflows: WorkflowCache;
  signer: UrlSigner;
  settings: ServerSettings;
  /** http://host:port, known once the server listens. */
  baseUrl: () => string;
  runs: RunService;
  queue: TriggerQueue;
  metrics: Metrics;
  statuses: StatusReporter | null;
  /** Run, deployment and approval events for notifications and the merge gate. */
  events: ServerEvents;
  /** Approves or rejects what runs wait for (environments with reviewers). */
  approvals: Approvals;
  gateTiming: GateTiming;
  log: (message: string) => void;
}
