// Job graph of a run: one column per `needs` depth, one box per yaml job (matrix instances listed
// inside it), edges from each need. Redrawn only when the shape changes; status changes repaint in
// place so the in-progress pulse keeps running smoothly across the 1 s refresh.
import type { GraphNode } from "./types.ts";
import { s } from "./ui/dom.ts";
import { aggregateState, stateLabel, stateOf, statusMarkup, type State } from "./ui/status.ts";

const NODE_W = 210;
const COL_GAP = 64;
const HEAD_H = 36;
const INST_H = 26;
const NODE_GAP = 18;
const PAD = 16;
const MAX_CHARS = 22;
const ENV_H = 20;

export type JobLink = (jobId: number) => string;

/** The environment a job deploys to, drawn as a line under the job's name. */
export interface NodeEnv {
  name: string;
  url: string | null;
  waiting: boolean;
}
export type EnvOf = (node: GraphNode) => NodeEnv | null;
const noEnv: EnvOf = () => null;

interface Placed {
  node: GraphNode;
  x: number;
  y: number;
  h: number;
  matrix: boolean;
  env: NodeEnv | null;
}

export function drawGraph(holder: HTMLElement, nodes: GraphNode[], runDone: boolean, link: JobLink, envOf: EnvOf = noEnv): void {
  const shape = JSON.stringify(nodes.map((n) => [n.id, n.name, n.needs, n.instances.map((i) => [i.job_id, i.name]), envOf(n)]));
  let svg = holder.querySelector<SVGSVGElement>("svg[data-testid=job-graph]");
  if (!svg || svg.dataset["shape"] !== shape) {
    svg = build(nodes, runDone, link, envOf);
    svg.dataset["shape"] = shape;
    holder.replaceChildren(svg);
    return;
  }
  for (const node of nodes) {
    const g = svg.querySelector<SVGGElement>(`g[data-testid=graph-node][data-job="${CSS.escape(node.id)}"]`);
    if (!g) continue;
    paint(g, nodeState(node, runDone));
    g.querySelectorAll<SVGGElement>("g[data-testid=graph-instance]").forEach((ig, i) => {
      const inst = node.instances[i];
      if (inst) paint(ig, stateOf(inst.status, inst.conclusion));
    });
    const count = g.querySelector(".gcount");
    if (count) count.textContent = countText(node);
  }
}

function nodeState(node: GraphNode, runDone: boolean): State {
  // A job the run never planned (its needs failed, the run was cancelled) stays without instances.
  return aggregateState(
    node.instances.map((i) => stateOf(i.status, i.conclusion)),
    runDone ? "skipped" : "queued",
  );
}

function depths(nodes: GraphNode[]): Map<string, number> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const memo = new Map<string, number>();
  const visit = (id: string, trail: Set<string>): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    if (trail.has(id)) return 0; // a cycle cannot pass validation; do not loop if one shows up
    trail.add(id);
    const needs = (byId.get(id)?.needs ?? []).filter((n) => byId.has(n));
    const d = needs.length ? 1 + Math.max(...needs.map((n) => visit(n, trail))) : 0;
    trail.delete(id);
    memo.set(id, d);
    return d;
  };
  for (const n of nodes) visit(n.id, new Set());
  return memo;
}

/**
 * Columns by `needs` depth. Within a column a job sits level with the average of its needs (then
 * pushed down below its neighbour), so edges run mostly straight and rarely pass behind boxes.
 */
function layout(nodes: GraphNode[], envOf: EnvOf): { placed: Map<string, Placed>; width: number; height: number } {
  const depth = depths(nodes);
  const columns: GraphNode[][] = [];
  for (const node of nodes) (columns[depth.get(node.id) ?? 0] ??= []).push(node);
  const placed = new Map<string, Placed>();
  let height = PAD * 2 + HEAD_H;
  columns.forEach((column, d) => {
    const wanted = new Map<string, number>();
    column.forEach((node, i) => {
      const ys = node.needs.map((n) => placed.get(n)?.y).filter((y): y is number => y !== undefined);
      wanted.set(node.id, ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : i * 1e-3);
    });
    const order = [...column].sort((a, b) => (wanted.get(a.id) ?? 0) - (wanted.get(b.id) ?? 0));
    let next = PAD;
    for (const node of order) {
      const matrix = isMatrix(node);
      const env = envOf(node);
      const h = (matrix ? HEAD_H + node.instances.length * INST_H + 6 : HEAD_H) + (env ? ENV_H : 0);
      const y = Math.max(next, Math.round(wanted.get(node.id) ?? 0));
      placed.set(node.id, { node, x: PAD + d * (NODE_W + COL_GAP), y, h, matrix, env });
      next = y + h + NODE_GAP;
      height = Math.max(height, y + h + PAD);
    }
  });
  const cols = Math.max(1, columns.length);
  return { placed, width: PAD * 2 + cols * NODE_W + (cols - 1) * COL_GAP, height };
}

function isMatrix(node: GraphNode): boolean {
  if (node.instances.length > 1) return true;
  const m = node.instances[0]?.matrix;
  return !!m && Object.keys(m).length > 0;
}

function build(nodes: GraphNode[], runDone: boolean, link: JobLink, envOf: EnvOf): SVGSVGElement {
  const { placed, width, height } = layout(nodes, envOf);
  const svg = s("svg", { class: "graph", "data-testid": "job-graph", width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "Job graph" });
  const edges = s("g", { class: "gedges" });
  for (const p of placed.values()) {
    for (const need of p.node.needs) {
      const from = placed.get(need);
      if (from) edges.append(edge(from, p));
    }
  }
  svg.append(edges);
  for (const p of placed.values()) svg.append(nodeEl(p, runDone, link));
  return svg;
}

function edge(from: Placed, to: Placed): SVGPathElement {
  const x1 = from.x + NODE_W;
  const y1 = from.y + HEAD_H / 2;
  const x2 = to.x;
  const y2 = to.y + HEAD_H / 2;
  const mid = (x1 + x2) / 2;
  // An edge that skips a column would run straight through the nodes between: arc it over them.
  const skips = x2 - x1 > NODE_W && Math.abs(y1 - y2) < HEAD_H;
  const d = skips
    ? `M${x1},${y1} C${x1 + (x2 - x1) / 4},${Math.min(y1, y2) - HEAD_H * 1.1} ${x2 - (x2 - x1) / 4},${Math.min(y1, y2) - HEAD_H * 1.1} ${x2},${y2}`
    : `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
  return s("path", { class: "gedge", "data-testid": "graph-edge", "data-from": from.node.id, "data-to": to.node.id, d });
}

function nodeEl(p: Placed, runDone: boolean, link: JobLink): SVGGElement {
  const { node } = p;
  const state = nodeState(node, runDone);
  const g = s("g", { class: `gnode st-${state}`, "data-testid": "graph-node", "data-job": node.id, ...stateAttrs(state), transform: `translate(${p.x},${p.y})` });
  g.append(s("title", null, `${node.name}: ${stateLabel(state)}`), s("rect", { class: "gbox", width: NODE_W, height: p.h, rx: 8 }));
  const head = s("g", { class: "ghead" }, mark(10, (HEAD_H - 16) / 2, state), s("text", { x: 34, y: HEAD_H / 2 + 4.5, class: "gname" }, short(node.name, p.matrix ? MAX_CHARS - 5 : MAX_CHARS)));
  if (p.matrix) head.append(s("text", { x: NODE_W - 10, y: HEAD_H / 2 + 4.5, class: "gcount", "text-anchor": "end" }, countText(node)));
  const only = node.instances[0];
  if (!p.matrix && only?.job_id != null) g.append(s("a", { href: link(only.job_id) }, head));
  else g.append(head);
  if (p.matrix) {
    g.append(s("line", { class: "gsep", x1: 0, x2: NODE_W, y1: HEAD_H, y2: HEAD_H }));
    node.instances.forEach((inst, i) => {
      const st = stateOf(inst.status, inst.conclusion);
      const row = s(
        "g",
        { class: `ginst st-${st}`, "data-testid": "graph-instance", "data-job-id": inst.job_id ?? "", ...stateAttrs(st), transform: `translate(0,${HEAD_H + 3 + i * INST_H})` },
        s("rect", { class: "ghover", x: 4, width: NODE_W - 8, height: INST_H, rx: 4 }),
        mark(16, (INST_H - 16) / 2, st),
        s("text", { x: 40, y: INST_H / 2 + 4.5, class: "iname" }, short(inst.name, MAX_CHARS - 2)),
        s("title", null, `${inst.name}: ${stateLabel(st)}`),
      );
      g.append(inst.job_id != null ? s("a", { href: link(inst.job_id) }, row) : row);
    });
  }
  if (p.env) g.append(envLine(p.env, p.h - ENV_H));
  return g;
}

/** "production · waiting for review", or the deployment's url as a link once the job set one. */
function envLine(env: NodeEnv, y: number): SVGGElement {
  const label = env.waiting ? `${env.name} · waiting` : env.url ? `${env.name} · ${env.url.replace(/^https?:\/\//, "")}` : env.name;
  const text = s("text", { x: 12, y: y + 13, class: "genv" }, short(label, MAX_CHARS + 6));
  const g = s("g", { class: "genvline", "data-testid": "graph-env", "data-environment": env.name, "data-url": env.url ?? "", "data-waiting": env.waiting ? "true" : "false" }, s("line", { class: "gsep", x1: 0, x2: NODE_W, y1: y, y2: y }), s("title", null, env.url ? `${env.name}: ${env.url}` : `Environment ${env.name}`));
  g.append(env.url && !env.waiting ? s("a", { href: env.url, target: "_blank", rel: "noopener noreferrer" }, text) : text);
  return g;
}

function mark(x: number, y: number, state: State): SVGGElement {
  const g = s("g", { class: `gmark st-${state}`, transform: `translate(${x},${y})` });
  g.innerHTML = statusMarkup(state);
  return g;
}

/** Sets the state classes and redraws the icon only when the state really changed. */
function paint(g: SVGGElement, state: State): void {
  if (g.dataset["state"] === state) return;
  const icon = g.querySelector<SVGGElement>(":scope > .gmark, :scope > .ghead > .gmark, :scope > a > .ghead > .gmark");
  for (const [k, v] of Object.entries(stateAttrs(state))) g.setAttribute(k, v);
  g.setAttribute("class", (g.getAttribute("class") ?? "").replace(/\bst-\w+/, `st-${state}`));
  if (icon) {
    icon.innerHTML = statusMarkup(state);
    icon.setAttribute("class", `gmark st-${state}`);
  }
  const title = g.querySelector(":scope > title");
  if (title) title.textContent = title.textContent.replace(/: [^:]*$/, `: ${stateLabel(state)}`);
}

/**
 * Same vocabulary as the API (and the runs table): `data-status` is queued / waiting / in_progress /
 * completed and `data-conclusion` is set once completed; `data-state` is the one-word state drawn.
 */
function stateAttrs(state: State): Record<string, string> {
  const open = state === "queued" || state === "waiting" || state === "in_progress";
  return { "data-status": open ? state : "completed", "data-conclusion": open ? "" : state, "data-state": state };
}

function countText(node: GraphNode): string {
  const done = node.instances.filter((i) => i.status === "completed").length;
  return `${done}/${node.instances.length}`;
}

function short(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
