// Times are shown in the viewer's local time, with relative ages and compact durations.

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86400],
  ["month", 30 * 86400],
  ["week", 7 * 86400],
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

export function localTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function relative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "";
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const secs = Math.round((t - now) / 1000);
  if (Math.abs(secs) < 10) return "just now";
  for (const [unit, size] of UNITS) {
    if (Math.abs(secs) >= size) return rtf.format(Math.trunc(secs / size), unit);
  }
  return "just now";
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "";
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${sec}s`;
  return `${sec}s`;
}

/** Elapsed time between two stamps; a missing end means "still running", measured to now. */
export function span(start: string | null | undefined, end: string | null | undefined): string {
  if (!start) return "";
  const from = new Date(start).getTime();
  const to = end ? new Date(end).getTime() : Date.now();
  return duration(to - from);
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** A <time> element: local time on hover, relative age as text. */
export function timeEl(iso: string | null | undefined): HTMLTimeElement {
  const el = document.createElement("time");
  if (iso) {
    el.dateTime = iso;
    el.title = localTime(iso);
    el.textContent = relative(iso);
  }
  return el;
}

/** A duration that keeps counting while `end` is missing (see tickClocks). */
export function elapsedEl(start: string | null | undefined, end: string | null | undefined): HTMLSpanElement {
  const el = document.createElement("span");
  el.className = "elapsed";
  el.textContent = span(start, end);
  if (start && !end) el.dataset["from"] = start;
  return el;
}

/** Keeps relative ages and running durations current without re-rendering their rows. */
export function tickClocks(): void {
  let n = 0;
  setInterval(() => {
    for (const el of document.querySelectorAll<HTMLElement>(".elapsed[data-from]")) el.textContent = span(el.dataset["from"], null);
    if (n++ % 15 === 0) for (const el of document.querySelectorAll<HTMLTimeElement>("time[datetime]")) el.textContent = relative(el.dateTime);
  }, 1000);
}
