/**
 * The outbox in-process, on a real SQLite store and real HTTP receivers on 127.0.0.1: retries with
 * their response codes, giving up, timeouts, a hanging channel that does not hold up another, and
 * targets looked up when sending.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { App } from "../../src/server/app.ts";
import { sealChannel } from "../../src/server/notify/channel-seal.ts";
import { NOTIFY_DEFAULTS, type NotifyOptions } from "../../src/server/notify/options.ts";
import { Outbox } from "../../src/server/notify/outbox.ts";
import { secretAad } from "../../src/server/secrets/scoped.ts";
import { SecretBox } from "../../src/server/secrets/secret-box.ts";
import type { NewDelivery } from "../../src/store/notification-store.ts";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import { waitFor } from "../helpers/server.ts";

type Reply = (req: IncomingMessage, res: ServerResponse, n: number) => void;

interface Receiver {
  url: string;
  hits: { delivery: string; body: string }[];
  open: number;
  maxOpen: number;
  reply: Reply;
  close(): Promise<void>;
}

async function receiver(reply: Reply): Promise<Receiver> {
  const r: Receiver = { url: "", hits: [], open: 0, maxOpen: 0, reply, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      r.hits.push({ delivery: String(req.headers["x-slipway-delivery"]), body });
      r.open++;
      r.maxOpen = Math.max(r.maxOpen, r.open);
      res.on("finish", () => r.open--);
      r.reply(req, res, r.hits.length);
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/path-token`;
  r.close = () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); });
  return r;
}

void describe("the notification outbox", () => {
  let dir: string;
  let app: App;
  const logs: string[] = [];
  const outboxes: Outbox[] = [];
  const receivers: Receiver[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "slipway-outbox-"));
    const store = await openSqliteStore(join(dir, "slipway.db"));
    const box = await SecretBox.open(join(dir, "secret.key"));
    app = { store, box, log: (m: string) => logs.push(m), baseUrl: () => "http://ci.example" } as unknown as App;
  });
  after(async () => {
    for (const o of outboxes) await o.stop();
    for (const r of receivers) await r.close();
    await app.store.close();
    await rm(dir, { recursive: true, force: true });
  });

  // One outbox at a time: each test gives its own options.
  const start = async (o: Partial<NotifyOptions> = {}) => {
    for (const old of outboxes.splice(0)) await old.stop();
    const box = new Outbox(app, { ...NOTIFY_DEFAULTS, backoffBaseMs: 20, backoffCapMs: 100, pollMs: 50, ...o });
    outboxes.push(box);
    box.kick();
    return box;
  };
  const recv = async (reply: Reply) => {
    const r = await receiver(reply);
    receivers.push(r);
    return r;
  };
  const channel = async (repo: string, name: string, url: string) => {
    await app.store.notifications.createChannel({ repo, name, kind: "webhook", url: sealChannel(app.box, repo, name, "url", url), secret: null });
  };
  const enqueue = async (repo: string, name: string, extra: Partial<NewDelivery> = {}) => {
    const guid = randomUUID();
    await app.store.notifications.enqueueDelivery({ guid, repo, channel: name, source: "api", target: null, kind: "webhook", event: "run.failed", eventKey: `run:${guid}`, body: JSON.stringify({ id: guid }), ...extra }, new Date().toISOString());
    return guid;
  };
  const settled = (guid: string) => waitFor(`delivery ${guid} settled`, async () => {
    const d = await app.store.notifications.getDelivery(guid);
    return d && d.status !== "pending" ? d : null;
  }, 20_000);

  void it("retries a failing receiver until it answers 2xx, logs each response code, and never sends again", async () => {
    const r = await recv((_req, res, n) => res.writeHead(n <= 3 ? 500 : 204).end(n <= 3 ? "down for maintenance" : undefined));
    await channel("acme/a", "hook", r.url);
    const box = await start();
    const guid = await enqueue("acme/a", "hook");
    box.kick();
    const d = await settled(guid);
    assert.equal(d.status, "delivered");
    const attempts = await app.store.notifications.listAttempts(d.id);
    assert.deepEqual(attempts.map((a) => [a.n, a.statusCode]), [[1, 500], [2, 500], [3, 500], [4, 204]]);
    assert.equal(attempts[0]?.error, "HTTP 500: down for maintenance");
    assert.equal(attempts[3]?.error, null);
    // Several polls later, still only the one successful send.
    await new Promise((ok) => setTimeout(ok, 400));
    assert.equal(r.hits.filter((h) => h.delivery === guid).length, 4);
  });

  void it("gives up after the last attempt and marks the delivery failed", async () => {
    const r = await recv((_req, res) => res.writeHead(503).end());
    await channel("acme/b", "hook", r.url);
    await start({ maxAttempts: 3 });
    const guid = await enqueue("acme/b", "hook");
    const d = await settled(guid);
    assert.equal(d.status, "failed");
    assert.equal(d.attempts, 3);
    assert.equal(d.lastError, "HTTP 503");
    assert.ok(logs.some((l) => l.includes(`gave up on delivery ${guid}`) && l.includes("after 3 attempt(s)")), logs.join("\n"));
    await new Promise((ok) => setTimeout(ok, 300));
    assert.equal(r.hits.length, 3);
  });

  void it("times out an attempt that gets no answer", async () => {
    const hang = await recv(() => undefined);
    await channel("acme/c", "hang", hang.url);
    await start({ timeoutMs: 300, maxAttempts: 2 });
    const d = await settled(await enqueue("acme/c", "hang"));
    assert.equal(d.status, "failed");
    const attempts = await app.store.notifications.listAttempts(d.id);
    assert.deepEqual(attempts.map((a) => [a.statusCode, a.error]), [[null, "no answer within 300 ms"], [null, "no answer within 300 ms"]]);
  });

  void it("a slow channel holds at most its slots, and another channel does not wait for it", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((ok) => (release = ok));
    const slowR = await recv((_req, res) => void gate.then(() => res.writeHead(200).end()));
    const fastR = await recv((_req, res) => res.writeHead(200).end());
    await channel("acme/f", "slow", slowR.url);
    await channel("acme/f", "fast", fastR.url);
    await start({ perChannel: 2 });
    const slow = await Promise.all([1, 2, 3, 4].map(() => enqueue("acme/f", "slow")));
    await waitFor("two attempts open on the slow channel", async () => slowR.open === 2);
    // The slow channel is full; the fast one is still served.
    assert.equal((await settled(await enqueue("acme/f", "fast"))).status, "delivered");
    assert.equal(slowR.hits.length, 2, "no third attempt while two are open");
    release();
    for (const g of slow) assert.equal((await settled(g)).status, "delivered");
    assert.equal(slowR.maxOpen, 2);
  });

  void it("finds a .slipway.yml channel's URL in the repository secret when sending, so setting it later helps", async () => {
    const r = await recv((_req, res) => res.writeHead(202).end());
    await start();
    const guid = await enqueue("acme/d", "team", { source: "config", target: { urlSecret: "team_hook" } });
    const waiting = await waitFor("a failed attempt", async () => {
      const d = await app.store.notifications.getDelivery(guid);
      return d && d.attempts >= 1 ? d : null;
    });
    assert.equal(waiting.status, "pending");
    assert.equal(waiting.lastError, "the repository secret team_hook (url_secret of channel team in .slipway.yml) is not set");
    await app.store.setSecret("acme/d", "TEAM_HOOK", app.box.seal(r.url, secretAad("acme/d", "TEAM_HOOK")));
    assert.equal((await settled(guid)).status, "delivered");
    assert.equal(r.hits[0]?.delivery, guid);
  });

  void it("gives up at once on a delivery whose channel was deleted", async () => {
    const guid = await enqueue("acme/e", "gone");
    await start();
    const d = await settled(guid);
    assert.deepEqual([d.status, d.lastError], ["failed", "the channel was deleted"]);
  });
});
