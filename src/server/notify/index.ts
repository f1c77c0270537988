/**
 * Notifications for `slipway server`: listens to the server's events, queues deliveries in the store,
 * and runs the outbox that sends them. `startNotifications` also sends what a previous process left
 * pending; `stop` lets queued work finish being written and leaves unsent deliveries for the next start.
 */
import type { App } from "../app.ts";
import { deliveriesFor } from "./listener.ts";
import { notifyOptionsFromEnv, type NotifyOptions } from "./options.ts";
import { Outbox } from "./outbox.ts";

export interface Notifications {
  stop(): Promise<void>;
}

export function startNotifications(app: App, o: NotifyOptions = notifyOptionsFromEnv()): Notifications {
  const outbox = new Outbox(app, o);
  const handling = new Set<Promise<void>>();
  let stopped = false;
  const off = app.events.on((e) => {
    if (stopped) return;
    const p: Promise<void> = deliveriesFor(app, e)
      .then((created) => {
        if (created) outbox.kick();
      })
      .catch((err: unknown) => app.log(`notifications: ${e.kind}: ${(err as Error).message}`))
      .finally(() => handling.delete(p));
    handling.add(p);
  });
  outbox.kick();
  return {
    async stop() {
      stopped = true;
      off();
      await Promise.allSettled([...handling]);
      await outbox.stop();
    },
  };
}
