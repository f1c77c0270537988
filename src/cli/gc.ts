/** `slipway gc`: removes containers, networks and volumes that killed runs left behind. */
import { reapOrphanGroups } from "../run/executors/step-ledger.ts";
import { parse } from "./args.ts";

export async function gcCommand(argv: string[]): Promise<number> {
  parse(argv, {}, "gc");
  const steps = await reapOrphanGroups();
  if (steps) process.stdout.write(`killed ${steps} step process group(s) left by killed runs\n`);
  const { removeOrphans } = await import("../run/executors/docker/orphans.ts");
  const removed = await removeOrphans();
  process.stdout.write(`removed ${removed.containers} container(s), ${removed.networks} network(s), ${removed.volumes} volume(s)\n`);
  return 0;
}

/** At start-up, after runs were found interrupted: their Docker leftovers go too (best effort). */
export async function gcAfterInterrupted(interrupted: number[]): Promise<void> {
  if (!interrupted.length) return;
  await reapOrphanGroups();
  try {
    const { removeOrphans } = await import("../run/executors/docker/orphans.ts");
    await removeOrphans();
  } catch {
    // No Docker here: nothing of Docker's can have been left behind by this machine's runs.
  }
}
