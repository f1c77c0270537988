/** Parsed workflows per commit: a burst of deliveries for one commit parses its files once. */
import { checkoutWorkflows, type CheckoutWorkflows } from "../../service/checkout.ts";

const KEEP = 32;

export class WorkflowCache {
  private readonly byDir = new Map<string, Promise<CheckoutWorkflows>>();

  get(dir: string): Promise<CheckoutWorkflows> {
    let hit = this.byDir.get(dir);
    if (hit) {
      this.byDir.delete(dir);
    } else {
      hit = checkoutWorkflows(dir);
      hit.catch(() => this.byDir.delete(dir));
    }
    this.byDir.set(dir, hit);
    while (this.byDir.size > KEEP) this.byDir.delete(this.byDir.keys().next().value as string);
    return hit;
  }
}
