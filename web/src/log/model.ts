// The lines of one job log and the derived views the viewer needs: which rows are shown (groups may
// be collapsed), line numbers, annotations, the step summary. Append-only, so everything is
// maintained incrementally; only a collapse/expand rebuilds the shown-rows index (one linear pass).

export const K = {
  plain: 0,
  group: 1,
  error: 2,
  warning: 3,
  notice: 4,
  debug: 5,
  command: 6,
} as const;
export type Kind = (typeof K)[keyof typeof K];

export interface Row {
  seq: number;
  /** Milliseconds since the epoch. */
  time: number;
  /** The text without its marker (`##[error]` etc.); may hold ANSI codes. */
  text: string;
  kind: Kind;
  step: number | null;
  /** 1-based number shown in the gutter and used in `?line=` links. */
  num: number;
  /** Index of the group header this row sits in, or -1. */
  group: number;
}

export interface Annotation {
  kind: "error" | "warning" | "notice";
  text: string;
  num: number;
}

const MARKER = /^##\[(group|endgroup|error|warning|notice|debug|summary)(?:[ ;][^\]]*)?\]/;

export class LogModel {
  readonly rows: Row[] = [];
  /** Row indices currently shown, ascending. */
  visible: number[] = [];
  readonly annotations: Annotation[] = [];
  readonly summary: string[] = [];
  readonly stepFirstRow = new Map<number, number>();
  /** collapsed[i] is meaningful for group header rows only. */
  private readonly collapsed: boolean[] = [];
  private openGroup = -1;
  lastSeq = -Infinity;
  summaryVersion = 0;

  constructor(private readonly collapseByDefault = true) {}

  /** `step` is -1 for a line outside any step. */
  add(seq: number, time: number, raw: string, step: number): void {
    // A reconnect may resend lines the viewer already has.
    if (seq <= this.lastSeq) return;
    this.lastSeq = seq;
    const m = raw.startsWith("##[") ? MARKER.exec(raw) : null;
    const tag = m?.[1];
    const rest = m ? raw.slice(m[0].length) : raw;
    if (tag === "summary") {
      this.summary.push(rest);
      this.summaryVersion++;
      return;
    }
    if (tag === "endgroup") {
      this.openGroup = -1;
      return;
    }
    let kind: Kind = K.plain;
    let text = raw;
    if (tag) {
      kind = K[tag as "group" | "error" | "warning" | "notice" | "debug"];
      text = rest;
    } else if (raw.startsWith("[command]")) {
      kind = K.command;
      text = raw.slice(9);
    }
    const index = this.rows.length;
    // Groups do not nest in runner output: a new group ends the previous one.
    if (kind === K.group) this.openGroup = -1;
    const row: Row = { seq, time, text, kind, step: step < 0 ? null : step, num: index + 1, group: this.openGroup };
    this.rows.push(row);
    if (kind === K.group) {
      this.openGroup = index;
      // A step's own first line is the runner's "Run …" header around its output: that one starts open,
      // the groups a step prints (::group::) start closed, as on GitHub.
      const stepHeader = step >= 0 && !this.stepFirstRow.has(step);
      this.collapsed[index] = this.collapseByDefault && !stepHeader;
    }
    if (step >= 0 && !this.stepFirstRow.has(step)) this.stepFirstRow.set(step, index);
    if (kind === K.error || kind === K.warning || kind === K.notice) {
      this.annotations.push({ kind: kind === K.error ? "error" : kind === K.warning ? "warning" : "notice", text, num: row.num });
    }
    if (row.group < 0 || !this.collapsed[row.group]) this.visible.push(index);
  }

  isCollapsed(headerRow: number): boolean {
    return this.collapsed[headerRow] === true;
  }

  /** Returns false when nothing changed (so the caller can skip a redraw). */
  setCollapsed(headerRow: number, value: boolean): boolean {
    if (this.rows[headerRow]?.kind !== K.group || this.isCollapsed(headerRow) === value) return false;
    this.collapsed[headerRow] = value;
    this.rebuild();
    return true;
  }

  setAllCollapsed(value: boolean): void {
    this.rows.forEach((r, i) => {
      if (r.kind === K.group) this.collapsed[i] = value;
    });
    this.rebuild();
  }

  /** Opens the group hiding a row; true when that changed what is shown. */
  reveal(rowIndex: number): boolean {
    const g = this.rows[rowIndex]?.group ?? -1;
    return g >= 0 && this.setCollapsed(g, false);
  }

  /** Position of a row among the shown rows, or -1 when hidden. */
  positionOf(rowIndex: number): number {
    const v = this.visible;
    let lo = 0;
    let hi = v.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = v[mid] as number;
      if (at === rowIndex) return mid;
      if (at < rowIndex) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Line numbers are row numbers: rows are never removed, so num N is row N-1. */
  rowOfNum(num: number): number {
    return num >= 1 && num <= this.rows.length ? num - 1 : -1;
  }

  private rebuild(): void {
    const out: number[] = [];
    const rows = this.rows;
    for (let i = 0; i < rows.length; i++) {
      const g = (rows[i] as Row).group;
      if (g < 0 || !this.collapsed[g]) out.push(i);
    }
    this.visible = out;
  }
}
