// A repository's notifications: channels (Slack incoming webhooks, signed generic webhooks), the rules
// that send events to them, and each channel's delivery log.
import { guard } from "../access.ts";
import { api, get, sw } from "../api.ts";
import type { Channel, NotificationRule } from "../gov-types.ts";
import { deleteButton } from "../ui/confirm.ts";
import { deliveryLog } from "../ui/delivery-log.ts";
import { clear, errorText, h, notice } from "../ui/dom.ts";
import { rulesEditor } from "../ui/notify-rules.ts";
import { repoHeader } from "../ui/repo-tabs.ts";
import type { PageContext } from "./page.ts";

interface NotificationsRoute {
  owner: string;
  repo: string;
}

export function mountNotifications(ctx: PageContext, route: NotificationsRoute): void {
  const { owner, repo } = route;
  const full = `${owner}/${repo}`;
  const base = `${sw(owner, repo)}/notifications`;
  const channelPath = (name: string): string => `${base}/channels/${encodeURIComponent(name)}`;

  const channelsBody = h("tbody");
  const channelsMsg = h("div");
  const rulesSlot = h("div");
  const logs = h("div");
  ctx.root.append(
    repoHeader(owner, repo, "notifications"),
    h(
      "section",
      { class: "card" },
      h("h2", null, "Channels"),
      h("p", { class: "muted small" }, "Slack incoming webhooks get Block Kit messages; generic webhooks get JSON signed with ", h("code", null, "X-Slipway-Signature-256"), " (HMAC-SHA256 of the body with the channel's secret). URLs and secrets are write-only."),
      h("table", { class: "table", "data-testid": "channels-table" }, h("thead", null, h("tr", null, h("th", null, "Channel"), h("th", null, "Kind"), h("th", null, "URL"), h("th", null, "Signed"), h("th"))), channelsBody),
      channelForm(),
      channelsMsg,
    ),
    h("section", { class: "card" }, h("h2", null, "Rules"), h("p", { class: "muted small" }, "Each rule sends the checked events to one channel; branch and workflow lists narrow it (empty: all)."), rulesSlot),
    logs,
  );
  void load();

  async function load(): Promise<void> {
    try {
      const [channels, rules] = await Promise.all([
        get<{ channels: Channel[] }>(`${base}/channels`, ctx.signal).then((r) => r.channels),
        get<{ rules: NotificationRule[] }>(`${base}/rules`, ctx.signal).then((r) => r.rules),
      ]);
      channelsMsg.replaceChildren();
      clear(channelsBody, channels.map(channelRow));
      if (!channels.length) channelsBody.append(h("tr", null, h("td", { colspan: 5, class: "empty" }, "No channels yet.")));
      clear(rulesSlot, channels.length ? rulesForm(channels, rules) : h("p", { class: "muted" }, "Add a channel first."));
      clear(logs, channels.map((c) => deliveryLog(c.name, `${channelPath(c.name)}/deliveries`, ctx.signal)));
    } catch (e) {
      if (!ctx.signal.aborted) clear(channelsMsg, notice("error", errorText(e), "channel-error"));
    }
  }

  function channelRow(c: Channel): HTMLTableRowElement {
    const del = deleteButton("channel-delete", async () => {
      try {
        await api("DELETE", channelPath(c.name), undefined, ctx.signal);
        await load();
      } catch (e) {
        clear(channelsMsg, notice("error", errorText(e), "channel-error"));
      }
    });
    guard(full, "maintainer", del);
    const jump = h("button", { type: "button", class: "btn small", onclick: () => document.getElementById(`log-${c.name}`)?.scrollIntoView({ block: "start" }) }, "Delivery log");
    return h(
      "tr",
      { "data-testid": "channel-row", "data-name": c.name, "data-kind": c.kind },
      h("td", null, h("strong", null, c.name)),
      h("td", null, h("span", { class: "chip" }, c.kind)),
      h("td", null, c.url ? h("code", { class: "small" }, c.url) : ""),
      h("td", null, c.kind === "webhook" ? (c.has_secret ? "yes" : h("span", { class: "muted" }, "no secret")) : h("span", { class: "muted" }, "—")),
      h("td", { class: "right nowrap" }, jump, " ", del),
    );
  }

  function channelForm(): HTMLElement {
    const name = h("input", { name: "name", required: true, placeholder: "team-slack", autocomplete: "off", "data-testid": "channel-name" });
    const kind = h("select", { name: "kind", "data-testid": "channel-kind" }, h("option", { value: "slack" }, "Slack"), h("option", { value: "webhook" }, "Webhook"));
    const url = h("input", { name: "url", required: true, type: "url", autocomplete: "off", "data-testid": "channel-url" });
    const secret = h("input", { name: "secret", type: "password", placeholder: "HMAC secret", autocomplete: "new-password", "data-testid": "channel-secret" });
    const secretLabel = h("label", null, h("span", null, "Secret"), secret);
    const msg = h("div");
    const fields = h(
      "fieldset",
      { class: "bare inline-form" },
      h("label", null, h("span", null, "Name"), name),
      h("label", null, h("span", null, "Kind"), kind),
      h("label", { class: "grow" }, h("span", null, "URL"), url),
      secretLabel,
      h("button", { type: "submit", class: "btn primary", "data-testid": "channel-submit" }, "Add channel"),
    );
    // A Slack channel is not signed (its URL is the secret); a webhook may be.
    const sync = (): void => {
      secretLabel.hidden = kind.value !== "webhook";
      url.placeholder = kind.value === "webhook" ? "https://ci-events.example.com/hook" : "https://hooks.slack.com/services/…";
    };
    kind.addEventListener("change", sync);
    sync();
    const form = h("form", { "data-testid": "channel-form", novalidate: true }, fields, msg);
    guard(full, "maintainer", fields);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      msg.replaceChildren();
      const body: Record<string, string> = { name: name.value.trim(), kind: kind.value, url: url.value.trim() };
      if (kind.value === "webhook" && secret.value) body["secret"] = secret.value;
      try {
        await api("POST", `${base}/channels`, body, ctx.signal);
        msg.append(notice("ok", `Channel ${body["name"]} added.`, "channel-ok"));
        form.reset();
        sync();
        await load();
      } catch (e) {
        msg.append(notice("error", errorText(e), "channel-error"));
      }
    });
    return form;
  }

  function rulesForm(channels: Channel[], rules: NotificationRule[]): HTMLElement {
    const editor = rulesEditor(channels, rules);
    const msg = h("div");
    const fields = h("fieldset", { class: "bare" }, editor.el, msg, h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", "data-testid": "rules-submit" }, "Save rules")));
    const form = h("form", { "data-testid": "rules-form" }, fields);
    guard(full, "maintainer", fields);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      msg.replaceChildren();
      try {
        await api("PUT", `${base}/rules`, { rules: editor.read() }, ctx.signal);
        msg.append(notice("ok", "Rules saved.", "rules-ok"));
      } catch (e) {
        msg.append(notice("error", errorText(e), "rules-error"));
      }
    });
    return form;
  }
}
