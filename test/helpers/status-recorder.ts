/** A stand-in for a Git host's commit status API on 127.0.0.1: records every status posted to it. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface PostedStatus {
  path: string;
  auth: string | undefined;
  body: { state: string; context: string; description: string; target_url: string };
}

export class StatusRecorder {
  readonly received: PostedStatus[] = [];
  private server!: Server;
  /** The API base to give `slipway server --status-api-url`. */
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let data = "";
      req.on("data", (d) => (data += d));
      req.on("end", () => {
        this.received.push({ path: req.url ?? "", auth: req.headers.authorization, body: JSON.parse(data || "{}") });
        res.writeHead(201, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v3`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}
