// Links to addresses that come from workflows or users (an environment's url): only http(s) becomes a
// link, anything else (javascript:, data:) is shown as text.
import { h } from "./dom.ts";

export function httpUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

export function externalLink(raw: string, attrs: Record<string, string> = {}): HTMLElement {
  const href = httpUrl(raw);
  return href ? h("a", { ...attrs, href, target: "_blank", rel: "noopener noreferrer" }, raw) : h("code", attrs, raw);
}
