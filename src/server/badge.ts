/** `/badge/OWNER/NAME/WORKFLOW.svg`: the default branch's latest finished run, for READMEs. */
import path from "node:path";
import type { App } from "./app.ts";
import type { Router } from "./http/router.ts";

const COLOURS: Record<string, string> = { passing: "#2da44e", failing: "#cf222e", cancelled: "#6e7781", "no runs": "#9a6700" };

export function badgeRoutes(app: App, r: Router): void {
  r.add("GET", "/badge/:owner/:repo/:workflow.svg", "public", async ({ params }) => {
    const repo = await app.store.getRepo(`${params.owner}/${params.repo}`);
    const file = path.posix.join(".github/workflows", params.workflow as string);
    const [run] = repo ? await app.store.listRuns({ repo: repo.fullName, workflowFile: file, ref: `refs/heads/${repo.defaultBranch}`, status: "completed", limit: 1 }) : [];
    const state = !run ? "no runs" : run.result === "success" ? "passing" : run.result === "cancelled" ? "cancelled" : "failing";
    const label = run?.workflowName ?? (params.workflow as string);
    return { status: 200, type: "image/svg+xml", body: Buffer.from(svg(label, state)), headers: { "cache-control": "no-cache" } };
  });
}

function svg(label: string, state: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const lw = 10 + label.length * 7;
  const sw = 10 + state.length * 7;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${lw + sw}" height="20" role="img" aria-label="${esc(label)}: ${state}"><title>${esc(label)}: ${state}</title><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${sw}" height="20" fill="${COLOURS[state]}"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11"><text x="5" y="14">${esc(label)}</text><text x="${lw + 5}" y="14">${state}</text></g></svg>`;
}
