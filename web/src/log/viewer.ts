// Live log viewer built for very long logs: lines arrive in any amount, are queued and folded into
// the model in per-frame slices (so a 200,000-line burst never blocks input), and only the rows in
// view (plus a margin) exist in the DOM, all of one fixed height, next to a spacer as tall as the log.
import { h } from "../ui/dom.ts";
import type { LineBatch } from "./batch.ts";
import { K, LogModel, type Row } from "./model.ts";
import { clockTime, escapeRegExp, fillText, markMatches, plain } from "./text.ts";

export const ROW_HEIGHT = 20;
const OVERSCAN = 15;
const PAINT_EVERY_MS = 100;
const FRAME_BUDGET_MS = 8;
const ANNOTATION_CAP = 300;
const SUMMARY_EVERY_MS = 1000;
const TS_KEY = "slipway.log.timestamps";
const COUNT = new Intl.NumberFormat();

export interface ViewerOptions {
  lineHref(num: number): string;
  download(): Promise<void>;
  onSummary(markdown: string): void;
}

const LABEL: Partial<Record<Row["kind"], string>> = { [K.error]: "Error: ", [K.warning]: "Warning: ", [K.notice]: "Notice: " };

export class LogViewer {
  readonly el: HTMLElement;
  readonly annotationsEl: HTMLElement;
  readonly model = new LogModel();

  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowsEl: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly countEl: HTMLElement;
  private readonly stateEl: HTMLElement;
  private readonly followBtn: HTMLButtonElement;
  private readonly annList: HTMLElement;
  private readonly annHead: HTMLElement;

  private pending: LineBatch[] = [];
  private pendingAt = 0;
  private frame = 0;
  private urgent = true;
  private paintedAt = 0;
  private spacerHeight = -1;
  private follow = true;
  private finished = false;
  private problem: string | null = null;
  private showTs = localStorage.getItem(TS_KEY) === "1";

  /** Bumped when every shown row must be redrawn (collapse, search, selection, columns). */
  private gen = 0;
  private drawnGen = -1;
  private drawnFirst = 0;
  private drawnLast = 0;

  private selected = -1;
  private wantLine: number | null = null;

  private queryText = "";
  private query: RegExp | null = null;
  private queryAll: RegExp | null = null;
  private matches: number[] = [];
  private searchedTo = 0;
  private current = -1;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  private annShown = 0;
  private summaryShown = 0;
  private summaryAt = 0;
  private summaryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: ViewerOptions) {
    this.search = h("input", { type: "search", class: "log-search", placeholder: "Search log", "aria-label": "Search log", "data-testid": "log-search" });
    this.countEl = h("span", { class: "log-count muted", "data-testid": "log-search-count" });
    this.stateEl = h("span", { class: "log-state muted", "data-testid": "log-state" });
    this.followBtn = h("button", { type: "button", class: "btn small", title: "Follow new lines", "data-testid": "log-follow" }, "Follow");
    const tsBox = h("input", { type: "checkbox", checked: this.showTs, "data-testid": "log-timestamps" });
    const download = h("button", { type: "button", class: "btn small", "data-testid": "log-download" }, "Download");
    // The spacer only gives the scroller its height; rows sit beside it, so growing the log does
    // not mark the rows for layout.
    this.spacer = h("div", { class: "log-spacer" });
    this.rowsEl = h("div", { class: "log-rows" });
    this.scroller = h("div", { class: "log-scroll", tabindex: 0 }, this.spacer, this.rowsEl);
    this.el = h(
      "div",
      { class: `log-viewer${this.showTs ? " with-ts" : ""}`, "data-testid": "log-viewer" },
      h(
        "div",
        { class: "log-toolbar" },
        this.search,
        h("button", { type: "button", class: "btn small", title: "Previous match (Shift+Enter)", "data-testid": "log-search-prev", onclick: () => this.step(-1) }, "↑"),
        h("button", { type: "button", class: "btn small", title: "Next match (Enter)", "data-testid": "log-search-next", onclick: () => this.step(1) }, "↓"),
        this.countEl,
        h("span", { class: "spacer" }),
        h("label", { class: "check" }, tsBox, " Timestamps"),
        h("button", { type: "button", class: "btn small", onclick: () => this.collapseAll(false) }, "Expand all"),
        h("button", { type: "button", class: "btn small", onclick: () => this.collapseAll(true) }, "Collapse all"),
        this.followBtn,
        download,
      ),
      this.scroller,
      h("div", { class: "log-foot" }, this.stateEl),
    );
    this.annHead = h("h2", null, "Annotations");
    this.annList = h("ul", { class: "annotations" });
    this.annotationsEl = h("section", { class: "card annotations-card", hidden: true, "data-testid": "annotations" }, this.annHead, this.annList);

    this.scroller.addEventListener("scroll", () => this.onScroll(), { passive: true });
    this.rowsEl.addEventListener("click", (ev) => this.onRowClick(ev));
    this.search.addEventListener("input", () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.setQuery(this.search.value), 200);
    });
    this.search.addEventListener("keydown", (ev) => {
      if (ev.key !== "Enter") return;
      ev.preventDefault();
      // Enter right after typing must search the text as it is now, not wait for the debounce.
      if (this.queryText !== this.search.value) this.setQuery(this.search.value);
      this.step(ev.shiftKey ? -1 : 1);
    });
    tsBox.addEventListener("change", () => {
      this.showTs = tsBox.checked;
      localStorage.setItem(TS_KEY, this.showTs ? "1" : "0");
      this.el.classList.toggle("with-ts", this.showTs);
      this.redraw();
    });
    this.followBtn.addEventListener("click", () => {
      this.follow = true;
      this.soon();
    });
    download.addEventListener("click", async () => {
      download.disabled = true;
      download.textContent = "Downloading…";
      try {
        await this.opts.download();
      } catch (e) {
        this.setProblem(`Download failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        download.disabled = false;
        download.textContent = "Download";
      }
    });
    this.schedule();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.searchTimer);
    clearTimeout(this.summaryTimer);
  }

  push(batch: LineBatch): void {
    if (!batch.seq.length) return;
    this.pending.push(batch);
    this.schedule();
  }

  finish(): void {
    this.finished = true;
    this.soon();
  }

  setProblem(message: string | null): void {
    this.problem = message;
    this.soon();
  }

  /** Scrolls to and highlights line `num` (from a `?line=` link), waiting for it if not yet loaded. */
  goToLine(num: number): void {
    this.wantLine = num;
    this.follow = false;
    this.soon();
  }

  /** Shows the first line of a step at the top of the view. */
  goToStep(stepIndex: number): boolean {
    const row = this.model.stepFirstRow.get(stepIndex);
    if (row === undefined) return false;
    this.follow = false;
    this.reveal(row, 0);
    this.scroller.scrollIntoView({ block: "nearest" });
    return true;
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.onFrame());
  }

  private onFrame(): void {
    this.frame = 0;
    const before = this.model.rows.length;
    this.ingest();
    if (this.pending.length) this.schedule();
    // New lines alone repaint at most every PAINT_EVERY_MS: a fast stream then costs a few layouts
    // a second instead of one per frame, while scrolling and clicks still repaint at once.
    const now = performance.now();
    if (!this.urgent && this.model.rows.length !== before && now - this.paintedAt < PAINT_EVERY_MS) {
      this.schedule();
      return;
    }
    this.urgent = false;
    this.paintedAt = now;
    if (this.model.visible.length * ROW_HEIGHT !== this.spacerHeight) this.syncHeight();
    if (this.wantLine !== null) this.resolveWantedLine();
    else if (this.follow) this.scroller.scrollTop = this.scroller.scrollHeight;
    this.extendSearch();
    this.draw();
    this.drawAnnotations();
    this.flushSummary();
    this.drawState();
  }

  /** Folds queued lines into the model until the frame's time slice is used up. */
  private ingest(): void {
    const deadline = performance.now() + FRAME_BUDGET_MS;
    let n = 0;
    const model = this.model;
    while (this.pending.length) {
      const b = this.pending[0] as LineBatch;
      const len = b.seq.length;
      while (this.pendingAt < len) {
        const i = this.pendingAt++;
        const start = i === 0 ? 0 : (b.ends[i - 1] as number);
        model.add(b.seq[i] as number, b.time[i] as number, b.text.slice(start, b.ends[i]), b.step[i] as number);
        if ((++n & 511) === 0 && performance.now() > deadline) return;
      }
      this.pending.shift();
      this.pendingAt = 0;
    }
  }

  private syncHeight(): void {
    this.spacerHeight = this.model.visible.length * ROW_HEIGHT;
    this.spacer.style.height = `${this.spacerHeight}px`;
  }

  /** Repaints on the next frame, whatever the stream is doing. */
  private soon(): void {
    this.urgent = true;
    this.schedule();
  }

  private redraw(): void {
    this.gen++;
    this.soon();
  }

  private onScroll(): void {
    const s = this.scroller;
    this.follow = s.scrollTop + s.clientHeight >= s.scrollHeight - ROW_HEIGHT;
    this.soon();
  }

  /**
   * Keeps the DOM rows equal to the shown rows in [first, last): while the generation is the same,
   * rows that stay are left in place (no re-layout, no text re-shaping) and only the rows that
   * scrolled in are built.
   */
  private draw(): void {
    const vis = this.model.visible;
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(vis.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const box = this.rowsEl;
    const keep = this.drawnGen === this.gen && first < this.drawnLast && last > this.drawnFirst;
    if (keep && first === this.drawnFirst && last === this.drawnLast) return;
    const build = (from: number, to: number): DocumentFragment => {
      const frag = document.createDocumentFragment();
      for (let pos = from; pos < to; pos++) frag.append(this.rowEl(vis[pos] as number));
      return frag;
    };
    if (!keep) {
      box.replaceChildren(build(first, last));
    } else {
      for (let n = first - this.drawnFirst; n > 0; n--) box.firstElementChild?.remove();
      for (let n = this.drawnLast - last; n > 0; n--) box.lastElementChild?.remove();
      if (first < this.drawnFirst) box.prepend(build(first, this.drawnFirst));
      if (last > this.drawnLast) box.append(build(this.drawnLast, last));
    }
    box.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    this.drawnGen = this.gen;
    this.drawnFirst = first;
    this.drawnLast = last;
  }

  private rowEl(rowIndex: number): HTMLElement {
    const r = this.model.rows[rowIndex] as Row;
    const el = document.createElement("div");
    let cls = `log-line k${r.kind}`;
    if (r.group >= 0) cls += " in-group";
    if (rowIndex === this.selected) cls += " sel";
    if (this.current >= 0 && this.matches[this.current] === rowIndex) cls += " cur";
    el.className = cls;
    el.setAttribute("data-testid", "log-line");
    el.dataset["seq"] = String(r.seq);
    el.dataset["num"] = String(r.num);
    el.dataset["row"] = String(rowIndex);
    if (rowIndex === this.selected) el.dataset["selected"] = "true";
    const ln = document.createElement("a");
    ln.className = "ln";
    ln.href = this.opts.lineHref(r.num);
    ln.textContent = String(r.num);
    el.append(ln);
    if (this.showTs) {
      const ts = document.createElement("span");
      ts.className = "ts";
      ts.textContent = clockTime(r.time);
      ts.title = Number.isNaN(r.time) ? "" : new Date(r.time).toLocaleString();
      el.append(ts);
    }
    const tx = document.createElement("span");
    tx.className = "tx";
    const body = document.createElement("span");
    fillText(body, r.text);
    if (this.queryAll && this.query?.test(plain(r.text))) markMatches(body, this.queryAll);
    if (r.kind === K.group) {
      const open = !this.model.isCollapsed(rowIndex);
      el.dataset["group"] = open ? "open" : "closed";
      el.setAttribute("aria-expanded", String(open));
      tx.append(h("span", { class: "caret" }, open ? "▾" : "▸"));
    }
    const label = LABEL[r.kind];
    if (label) tx.append(h("span", { class: "lbl" }, label));
    tx.append(body);
    el.append(tx);
    return el;
  }

  private onRowClick(ev: MouseEvent): void {
    const target = ev.target as Element;
    if (target.closest("a")) return;
    const line = target.closest<HTMLElement>(".log-line[data-group]");
    if (!line) return;
    const row = Number(line.dataset["row"]);
    if (this.model.setCollapsed(row, !this.model.isCollapsed(row))) {
      this.syncHeight();
      this.redraw();
    }
  }

  private collapseAll(value: boolean): void {
    this.model.setAllCollapsed(value);
    this.syncHeight();
    this.redraw();
  }

  /** Opens the row's group if needed and scrolls it to `at` (0 = top, 0.33 = upper third). */
  private reveal(rowIndex: number, at: number): void {
    if (this.model.reveal(rowIndex)) this.syncHeight();
    const pos = this.model.positionOf(rowIndex);
    if (pos < 0) return;
    this.scroller.scrollTop = Math.max(0, pos * ROW_HEIGHT - this.scroller.clientHeight * at);
    this.redraw();
  }

  private resolveWantedLine(): void {
    const num = this.wantLine as number;
    const row = this.model.rowOfNum(num);
    if (row < 0) {
      // Not there yet: try again as more lines arrive, give up once the log is complete.
      if (this.finished && !this.pending.length) this.wantLine = null;
      return;
    }
    this.wantLine = null;
    this.selected = row;
    this.reveal(row, 0.33);
    this.scroller.scrollIntoView({ block: "nearest" });
  }

  private setQuery(text: string): void {
    clearTimeout(this.searchTimer);
    this.queryText = text;
    this.query = text ? new RegExp(escapeRegExp(text), "i") : null;
    this.queryAll = text ? new RegExp(escapeRegExp(text), "gi") : null;
    this.matches = [];
    this.searchedTo = 0;
    this.current = -1;
    this.extendSearch();
    this.redraw();
  }

  /** Search covers new lines as they arrive, so counts stay right while the job runs. */
  private extendSearch(): void {
    const rows = this.model.rows;
    if (!this.query) {
      this.searchedTo = rows.length;
      if (this.countEl.textContent) this.countEl.textContent = "";
      return;
    }
    if (this.searchedTo < rows.length) {
      const re = this.query;
      for (let i = this.searchedTo; i < rows.length; i++) if (re.test(plain((rows[i] as Row).text))) this.matches.push(i);
      this.searchedTo = rows.length;
    }
    const n = this.matches.length;
    const text = n ? `${this.current >= 0 ? this.current + 1 : "–"} / ${n}` : "no matches";
    if (this.countEl.textContent !== text) this.countEl.textContent = text;
  }

  private step(dir: 1 | -1): void {
    const n = this.matches.length;
    if (!n) return;
    if (this.current < 0) {
      // Start from what is on screen rather than from the top of a long log.
      const topRow = this.model.visible[Math.floor(this.scroller.scrollTop / ROW_HEIGHT)] ?? 0;
      const after = this.matches.findIndex((m) => m >= topRow);
      this.current = dir > 0 ? (after < 0 ? 0 : after) : after <= 0 ? n - 1 : after - 1;
    } else {
      this.current = (this.current + dir + n) % n;
    }
    this.follow = false;
    this.reveal(this.matches[this.current] as number, 0.33);
    this.extendSearch();
    this.schedule();
  }

  private drawAnnotations(): void {
    const all = this.model.annotations;
    if (all.length === this.annShown) return;
    this.annotationsEl.hidden = false;
    for (let i = this.annShown; i < Math.min(all.length, ANNOTATION_CAP); i++) {
      const a = all[i];
      if (!a) continue;
      this.annList.append(
        h(
          "li",
          { class: `ann ann-${a.kind}`, "data-testid": "annotation", "data-kind": a.kind, "data-line": a.num },
          h("span", { class: "ann-kind" }, a.kind),
          h("a", { href: this.opts.lineHref(a.num) }, `line ${a.num}`),
          h("span", { class: "ann-text" }, plain(a.text)),
        ),
      );
    }
    this.annShown = all.length;
    const counts = { error: 0, warning: 0, notice: 0 };
    for (const a of all) counts[a.kind]++;
    const parts = (Object.keys(counts) as (keyof typeof counts)[]).filter((k) => counts[k]).map((k) => `${counts[k]} ${k}${counts[k] === 1 ? "" : "s"}`);
    this.annHead.textContent = `Annotations (${parts.join(", ")})${all.length > ANNOTATION_CAP ? `: first ${ANNOTATION_CAP} listed` : ""}`;
  }

  /** Markdown is re-rendered at most once a second while lines stream, and once more at the end. */
  private flushSummary(): void {
    const version = this.model.summaryVersion;
    if (version === this.summaryShown) return;
    const now = performance.now();
    const settled = this.finished && !this.pending.length;
    if (!settled && now - this.summaryAt < SUMMARY_EVERY_MS) {
      this.summaryTimer ??= setTimeout(() => {
        this.summaryTimer = undefined;
        this.schedule();
      }, SUMMARY_EVERY_MS);
      return;
    }
    this.summaryShown = version;
    this.summaryAt = now;
    this.opts.onSummary(this.model.summary.join("\n"));
  }

  private drawState(): void {
    const lines = COUNT.format(this.model.rows.length);
    let text = this.finished && !this.pending.length ? `${lines} lines · complete` : `${lines} lines · streaming…`;
    if (this.problem) text += ` · ${this.problem}`;
    this.stateEl.textContent = text;
    this.el.dataset["done"] = String(this.finished && !this.pending.length);
    this.followBtn.classList.toggle("active", this.follow);
    if (!this.model.rows.length && !this.rowsEl.childElementCount) {
      this.rowsEl.replaceChildren(h("div", { class: "log-empty muted" }, this.finished ? "This job wrote no log." : "Waiting for log…"));
      this.drawnGen = -1;
    }
  }
}
