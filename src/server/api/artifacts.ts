/** A run's artifacts in GitHub's shape, downloaded as a zip through a signed link. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { NotFoundError } from "../../common/errors.ts";
import { listArtifacts } from "../../run/actions/builtins/artifacts/index.ts";
import type { App } from "../app.ts";
import type { Router } from "../http/router.ts";
import { zip, type ZipEntry } from "../http/zip.ts";
import { repoOf, runOf } from "./lookup.ts";
import { requireSignature, signedRedirect } from "./signed-links.ts";

/** Artifact ids are per server: the run's id and the artifact's own number within the run. */
const PER_RUN = 100_000;

export function artifactRoutes(app: App, r: Router): void {
  r.add("GET", "/api/v3/repos/:owner/:repo/actions/runs/:run_id/artifacts", "viewer", async ({ params }) => {
    const { repo, run } = await runOf(app, params);
    const list = await listArtifacts(app.settings.dataDir, run.id);
    const api = `${app.baseUrl()}/api/v3/repos/${repo.fullName}/actions/artifacts`;
    const artifacts = list.map((a) => {
      const id = run.id * PER_RUN + a.id;
      return { id, node_id: `A_${id}`, name: a.name, size_in_bytes: a.size, url: `${api}/${id}`, archive_download_url: `${api}/${id}/zip`, expired: false, created_at: a.createdAt, updated_at: a.createdAt, expires_at: a.expiresAt, workflow_run: { id: run.id, head_sha: run.sha } };
    });
    return { status: 200, json: { total_count: artifacts.length, artifacts } };
  });
  r.add("GET", "/api/v3/repos/:owner/:repo/actions/artifacts/:id/zip", "viewer", async ({ params }) => {
    const repo = await repoOf(app, params);
    const id = Number(params.id);
    const run = await app.store.getRun(Math.floor(id / PER_RUN));
    if (!run || run.repo !== repo.fullName) throw new NotFoundError("Not Found");
    return signedRedirect(app, `/api/v3/_blobs/artifacts/${id}.zip`);
  });
  r.add("GET", "/api/v3/_blobs/artifacts/:id.zip", "public", async ({ params, url }) => {
    requireSignature(app, url);
    const id = Number(params.id);
    const a = (await listArtifacts(app.settings.dataDir, Math.floor(id / PER_RUN))).find((x) => x.id === id % PER_RUN);
    if (!a) throw new NotFoundError("Not Found");
    return { status: 200, type: "application/zip", body: zip(await filesUnder(a.path)), headers: { "content-disposition": `attachment; filename="${a.name}.zip"` } };
  });
}

async function filesUnder(root: string): Promise<ZipEntry[]> {
  const out: ZipEntry[] = [];
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.push({ name: path.relative(root, full).split(path.sep).join("/"), data: await readFile(full) });
    }
  };
  await walk(root);
  return out;
}
