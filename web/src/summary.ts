// Step summaries are user-controlled Markdown: rendered with marked, then sanitised before use.
import DOMPurify from "dompurify";
import { Marked } from "marked";

const md = new Marked({ gfm: true, breaks: false, async: false });

export function summaryHtml(markdown: string): string {
  const html = md.parse(markdown, { async: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

// Links in a summary leave the dashboard: open them in a new tab without handing it our window.
DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node instanceof HTMLAnchorElement && /^https?:/i.test(node.getAttribute("href") ?? "")) {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer");
  }
});
