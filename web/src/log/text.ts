// Turning one log row's text into DOM: ANSI colours, and search matches wrapped in <mark>.
import { AnsiUp } from "ansi_up";

const ESC = "\x1b";
// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks, titles).
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;

const ansi = new AnsiUp();
ansi.use_classes = true;

/** Text as searched and copied: without escape sequences. */
export function plain(text: string): string {
  return text.includes(ESC) ? text.replace(ANSI, "") : text;
}

export function fillText(el: HTMLElement, text: string): void {
  if (!text.includes(ESC)) {
    el.textContent = text;
    return;
  }
  // Each row is converted on its own (rows render out of order), so every row ends with a reset
  // and colour state never leaks from one row into the next.
  el.innerHTML = ansi.ansi_to_html(`${text}${ESC}[0m`);
}

export function markMatches(el: HTMLElement, re: RegExp): void {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  for (const node of nodes) {
    const value = node.data;
    re.lastIndex = 0;
    let m = re.exec(value);
    if (!m) continue;
    const frag = document.createDocumentFragment();
    let at = 0;
    while (m) {
      if (m[0] === "") break;
      frag.append(value.slice(at, m.index));
      const mark = document.createElement("mark");
      mark.textContent = m[0];
      frag.append(mark);
      at = m.index + m[0].length;
      m = re.exec(value);
    }
    frag.append(value.slice(at));
    node.replaceWith(frag);
  }
}

export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function clockTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return "";
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
