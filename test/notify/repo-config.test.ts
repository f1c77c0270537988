/** `.slipway.yml` `notifications:`: what a valid section reads as, and positioned mistakes. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseRepoConfig } from "../../src/workflow/repo-config.ts";

void describe(".slipway.yml notifications", () => {
  void it("reads channels that name repository secrets and the rules that use them", () => {
    const { config, diagnostics } = parseRepoConfig(`notifications:
  channels:
    team-slack: { kind: slack, url_secret: SLACK_WEBHOOK }
    audit: { kind: webhook, url_secret: HOOK_URL, signing_secret: HOOK_SECRET }
  rules:
    - channel: team-slack
      events: [run.failed, run.fixed]
      branches: [main, "release/**"]
    - { channel: audit, events: deployment.succeeded, workflows: [deploy.yml] }
`);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(config.notifications, {
      channels: { "team-slack": { kind: "slack", urlSecret: "SLACK_WEBHOOK" }, audit: { kind: "webhook", urlSecret: "HOOK_URL", signingSecret: "HOOK_SECRET" } },
      rules: [
        { channel: "team-slack", events: ["run.failed", "run.fixed"], branches: ["main", "release/**"] },
        { channel: "audit", events: ["deployment.succeeded"], workflows: ["deploy.yml"] },
      ],
    });
  });

  void it("names each mistake with its line and column, and keeps the valid rules", () => {
    const { config, diagnostics } = parseRepoConfig(`notifications:
  channels:
    slack: { kind: slack, url: https://hooks.slack.com/x }
    chat: { kind: teams, url_secret: X }
    hook: { kind: webhook, url_secret: "not a name" }
    ok: { kind: slack, url_secret: OK_URL }
  rules:
    - channel: nowhere
      events: [run.failed]
    - channel: ok
      events: [run.broke]
    - channel: ok
      events: [run.failed]
      branches: ["!main"]
    - channel: ok
      events: [deployment.failed]
`);
    const found = diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
    const expect = (line: number, column: number, text: RegExp) => assert.ok(found.some((f) => f.startsWith(`${line}:${column} `) && text.test(f)), `expected ${line}:${column} ${text} in\n${found.join("\n")}`);
    expect(3, 27, /unknown key 'url' in channel 'slack'/);
    expect(4, 19, /kind must be slack or webhook, got 'teams'/);
    expect(5, 40, /url_secret must name a repository secret/);
    expect(8, 16, /channel 'nowhere', which is not defined under notifications.channels/);
    expect(11, 15, /unknown event 'run.broke'/);
    expect(14, 17, /only '!' patterns/);
    assert.ok(diagnostics.every((d) => d.severity === "error" && d.file === ".slipway.yml"));
    assert.deepEqual(config.notifications.rules, [{ channel: "ok", events: ["deployment.failed"] }]);
    assert.deepEqual(Object.keys(config.notifications.channels ?? {}), ["ok"]);
  });

  void it("refuses a signing secret on a Slack channel and a rule without events", () => {
    const { diagnostics } = parseRepoConfig(`notifications:
  channels:
    s: { kind: slack, url_secret: A, signing_secret: B }
  rules:
    - channel: s
`);
    assert.deepEqual(diagnostics.map((d) => [d.line, d.message.replace(/ \(.*$/, "")]), [
      [3, "channel 's': a Slack channel is not signed; signing_secret is for kind: webhook"],
      [5, "a rule needs events"],
    ]);
  });
});
