/** `slipway server`: the long-running service; stops cleanly on Ctrl-C or SIGTERM. */
import { InputError } from "../common/errors.ts";
import { parse, pairs } from "./args.ts";
import { dataDir } from "./data-dir.ts";

const OPTIONS = {
  host: { type: "string" },
  port: { type: "string" },
  "data-dir": { type: "string" },
  parallel: { type: "string" },
  "actions-url": { type: "string" },
  platform: { type: "string", multiple: true, short: "P" },
  "status-api-url": { type: "string" },
  example: { type: "boolean" },
  "public-url": { type: "string" },
  "allow-fork-host": { type: "boolean" },
  "review-timeout-minutes": { type: "string" },
} as const;

export async function serverCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, "server");
  if (positionals.length) throw new InputError(`slipway server takes no arguments, got: ${positionals.join(" ")}`);
  const port = Number(values.port ?? process.env.SLIPWAY_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port ${values.port}: expected a port number`);
  const parallel = Number(values.parallel ?? 2);
  if (!Number.isInteger(parallel) || parallel < 1) throw new InputError(`--parallel ${values.parallel}: expected a whole number of at least 1`);
  const reviewTimeout = values["review-timeout-minutes"] === undefined ? undefined : Number(values["review-timeout-minutes"]);
  if (reviewTimeout !== undefined && (!Number.isInteger(reviewTimeout) || reviewTimeout < 1)) throw new InputError(`--review-timeout-minutes ${values["review-timeout-minutes"]}: expected a whole number of minutes, at least 1`);
  const statusApi = (values["status-api-url"] as string | undefined) ?? process.env.SLIPWAY_STATUS_API_URL;
  const statusToken = process.env.SLIPWAY_STATUS_TOKEN;
  if (statusApi && !statusToken) throw new InputError("--status-api-url needs the Git host's token in SLIPWAY_STATUS_TOKEN");
  const { startServer } = await import("../server/server.ts");
  const server = await startServer({
    host: (values.host as string | undefined) ?? "127.0.0.1",
    port,
    dataDir: dataDir(values["data-dir"]),
    parallel,
    actionsUrl: ((values["actions-url"] as string | undefined) ?? "https://github.com").replace(/\/+$/, ""),
    platforms: pairs(values.platform, "platform"),
    publicUrl: (values["public-url"] as string | undefined) ?? process.env.SLIPWAY_PUBLIC_URL,
    allowForkHost: values["allow-fork-host"] === true,
    reviewTimeoutMinutes: reviewTimeout,
    adminToken: process.env.SLIPWAY_ADMIN_TOKEN,
    statuses: statusApi && statusToken ? { apiUrl: statusApi, token: statusToken } : null,
    schedulePollMs: process.env.SLIPWAY_SCHEDULE_POLL_MS ? Number(process.env.SLIPWAY_SCHEDULE_POLL_MS) : undefined,
  });
  if (server.adminToken?.generated) process.stdout.write(`admin token: ${server.adminToken.token}\n(shown once; Slipway keeps only its hash)\n`);
  process.stdout.write(`slipway server listening on ${server.url}\n`);
  if (values.example) {
    const page = await (await import("../server/example.ts")).registerExample(server.app);
    if (page) process.stdout.write(`example repository example/hello registered; its first run: ${page}\n`);
  }
  process.stdout.write(`dashboard: ${server.url}/ (sign in with the admin token)\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(130);
      stopping = true;
      process.stderr.write("slipway server: stopping (cancelling running runs)\n");
      void server.close().then(resolve, resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
}
