/**
 * Reviewing a run's pending deployments: the one place approvals and rejections are decided, whether
 * they come from the API, the dashboard, `slipway approve` or a notification's one-time link.
 */
import type { Caller } from "../auth/caller.ts";
import type { ReviewRecord } from "../../store/environment-store.ts";

export interface ReviewRequest {
  runId: number;
  /** Environment names; every waiting review of the run for them is decided. */
  environments: string[];
  state: "approved" | "rejected";
  comment: string | null;
  caller: Caller;
  /** An administrator releases the job past every rule (wait timer included), when the environment allows it. */
  bypass?: boolean;
}

export interface Approvals {
  /**
   * Decides the run's waiting reviews for those environments as the caller. Refuses (ForbiddenError)
   * a caller who is not a reviewer (unless an administrator may bypass), or who triggered the run when
   * self-review is prevented; NotFoundError when nothing of that run waits for them.
   */
  review(req: ReviewRequest): Promise<ReviewRecord[]>;
}
