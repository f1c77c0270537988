// One channel's delivery log: each event sent (or still being retried), its attempts' response codes
// and the last error.
import { get } from "../api.ts";
import type { Delivery } from "../gov-types.ts";
import { clear, errorText, h, notice } from "./dom.ts";
import { localTime, timeEl } from "./format.ts";

export function deliveryLog(channel: string, path: string, signal: AbortSignal): HTMLElement {
  const body = h("tbody", null, h("tr", null, h("td", { colspan: 5, class: "muted" }, "Loading…")));
  const refresh = h("button", { type: "button", class: "btn small", "data-testid": "delivery-refresh" }, "Refresh");
  const card = h(
    "section",
    { class: "card", id: `log-${channel}`, "data-testid": "delivery-log", "data-channel": channel },
    h("div", { class: "card-head" }, h("h2", null, "Deliveries to ", h("span", { class: "env-name" }, channel)), refresh),
    h("table", { class: "table" }, h("thead", null, h("tr", null, h("th", null, "Queued"), h("th", null, "Event"), h("th", null, "Status"), h("th", null, "Responses"), h("th", null, "Last error"))), body),
  );
  const fill = async (): Promise<void> => {
    try {
      const res = await get<{ deliveries: Delivery[] }>(`${path}?per_page=50`, signal);
      clear(body, res.deliveries.map(row));
      if (!res.deliveries.length) body.append(h("tr", null, h("td", { colspan: 5, class: "empty" }, "Nothing sent yet.")));
    } catch (e) {
      if (!signal.aborted) clear(body, h("tr", null, h("td", { colspan: 5 }, notice("error", errorText(e)))));
    }
  };
  refresh.addEventListener("click", () => void fill());
  void fill();
  return card;
}

function row(d: Delivery): HTMLTableRowElement {
  const history = d.history ?? [];
  return h(
    "tr",
    { "data-testid": "delivery-row", "data-status": d.status, "data-event": d.event, "data-code": d.response_code ?? "", "data-attempts": d.attempts },
    h("td", { class: "nowrap" }, timeEl(d.created_at), h("div", { class: "muted small" }, localTime(d.created_at))),
    h("td", null, h("code", null, d.event)),
    h("td", null, h("span", { class: `badge dlv-${d.status}` }, d.status), d.status === "pending" && d.next_attempt_at ? h("div", { class: "muted small" }, "next try ", timeEl(d.next_attempt_at)) : null),
    h("td", { class: "codes" }, history.length ? history.map((a) => code(a.response_code, a.error, a.at)) : d.attempts ? code(d.response_code, d.error, d.finished_at ?? d.created_at) : h("span", { class: "muted" }, "not tried yet")),
    h("td", { class: "small" }, d.error ?? ""),
  );
}

function code(status: number | null, error: string | null, at: string | null | undefined): HTMLElement {
  const ok = status !== null && status >= 200 && status < 300;
  return h("span", { class: ok ? "code-ok" : "code-bad", title: `${localTime(at)}${error ? `: ${error}` : ""}`, "data-testid": "delivery-code" }, status === null ? "—" : String(status));
}
