// Turns measured figures into rows with their targets, as a console table and a Markdown section.

export interface Figures {
  floorS: number | null;
  slipwayS: number | null;
  slipwayRssMb: number | null;
  gclS: number | null;
  gclRssMb: number | null;
  startupMs: number | null;
  /** The same, each in a new data dir: the store is created and migrated first (a user's first run). */
  coldStartupMs: number | null;
  /** `node -e 0` on the same machine: the part of start-up slipway cannot remove. */
  nodeMs: number | null;
}

export interface Row {
  what: string;
  value: string;
  target: string;
  /** null when the row has no target or a figure is missing. */
  met: boolean | null;
}

const fmt = (n: number | null, digits: number, unit: string): string =>
  n === null || !Number.isFinite(n) ? "n/a" : `${n.toFixed(digits)}${unit}`;

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

function check(value: number | null, ok: (v: number) => boolean): boolean | null {
  return value === null || !Number.isFinite(value) ? null : ok(value);
}

export function rows(f: Figures): Row[] {
  const overFloor = ratio(f.slipwayS, f.floorS);
  const speedUp = ratio(f.gclS, f.slipwayS);
  return [
    { what: "floor: 150 bash steps, 2 at a time (s)", value: fmt(f.floorS, 3, ""), target: "", met: null },
    { what: "slipway run --parallel 2 (s)", value: fmt(f.slipwayS, 3, ""), target: "", met: null },
    { what: "slipway / floor", value: fmt(overFloor, 1, "×"), target: "≤ 3×", met: check(overFloor, (v) => v <= 3) },
    { what: "gitlab-ci-local --concurrency 2 (s)", value: fmt(f.gclS, 2, ""), target: "", met: null },
    { what: "speed-up over gitlab-ci-local", value: fmt(speedUp, 1, "×"), target: "≥ 30×", met: check(speedUp, (v) => v >= 30) },
    { what: "slipway peak RSS (MB)", value: fmt(f.slipwayRssMb, 1, ""), target: "≤ 100", met: check(f.slipwayRssMb, (v) => v <= 100) },
    { what: "gitlab-ci-local peak RSS (MB)", value: fmt(f.gclRssMb, 1, ""), target: "", met: null },
    { what: "one-step workflow start-up (ms)", value: fmt(f.startupMs, 0, ""), target: "< 300", met: check(f.startupMs, (v) => v < 300) },
    { what: "same, first run in a new data dir (ms)", value: fmt(f.coldStartupMs, 0, ""), target: "", met: null },
    { what: "bare `node -e 0` (ms, context)", value: fmt(f.nodeMs, 0, ""), target: "", met: null },
  ];
}

const verdict = (met: boolean | null): string => (met === null ? "" : met ? "met" : "MISSED");

export function consoleTable(list: Row[]): string {
  const cells = [["measure", "value", "target", ""], ...list.map((r) => [r.what, r.value, r.target, verdict(r.met)])];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...cells.map((c) => c[i]!.length)));
  return cells.map((c) => c.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

export function markdownTable(list: Row[]): string {
  const lines = ["| measure | value | target | met |", "| --- | ---: | --- | --- |"];
  for (const r of list) lines.push(`| ${r.what} | ${r.value} | ${r.target} | ${verdict(r.met)} |`);
  return lines.join("\n");
}
