/**
 * Artifacts on disk: <dataDir>/artifacts/<runId>/<id>-<name>/ holds manifest.json and files/ (the
 * uploaded files as they are). Ids count up per run and are never reused. Dot-named entries are
 * temporary or being deleted and are never listed. Creating, replacing and appending take the run's
 * lock so two jobs of a run see one consistent set of names.
 */
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { commitDir, discardDir, makeTempDir, readJson, withLock, writeJsonAtomic } from "./atomic.ts";
import { listFiles, treeDigest } from "./fs-tree.ts";

export interface ArtifactManifest {
  id: number;
  name: string;
  size: number;
  files: number;
  /** sha256 of the stored files (see treeDigest). */
  digest: string;
  createdAt: string;
  expiresAt: string | null;
  jobName: string;
  /** The upload-artifact major that made it. */
  version: "v3" | "v4";
}

export interface StoredArtifact extends ArtifactManifest {
  /** The artifact's folder; its files are in `${dir}/files`. */
  dir: string;
}

export function runDir(dataDir: string, runId: number): string {
  return path.join(dataDir, "artifacts", String(runId));
}

export function filesDir(a: StoredArtifact): string {
  return path.join(a.dir, "files");
}

export async function listStored(dataDir: string, runId: number): Promise<StoredArtifact[]> {
  const root = runDir(dataDir, runId);
  const names = await readdir(root).catch(() => [] as string[]);
  const out: StoredArtifact[] = [];
  for (const name of names) {
    if (name.startsWith(".") || !/^\d+-/.test(name)) continue;
    const dir = path.join(root, name);
    const m = await readJson<ArtifactManifest>(path.join(dir, "manifest.json"));
    if (m) out.push({ ...m, dir });
  }
  return out.sort((a, b) => a.id - b.id);
}

/** A temp folder to copy an upload into; `${stage}/files` is where the files go. */
export async function stageUpload(dataDir: string, runId: number): Promise<string> {
  const stage = await makeTempDir(runDir(dataDir, runId));
  await mkdir(path.join(stage, "files"));
  return stage;
}

export type Meta = Omit<ArtifactManifest, "id" | "size" | "files" | "digest" | "createdAt">;

/**
 * Makes a staged upload an artifact. "conflict": the name exists and replace is false (the stage is
 * removed). With replace, an artifact of that name is deleted first, as upload-artifact's overwrite does.
 */
export async function commitArtifact(dataDir: string, runId: number, stage: string, meta: Meta, replace: boolean): Promise<StoredArtifact | "conflict"> {
  const root = runDir(dataDir, runId);
  return withLock(path.join(root, ".lock"), async () => {
    const existing = (await listStored(dataDir, runId)).filter((a) => a.name === meta.name);
    if (existing.length && !replace) {
      await rm(stage, { recursive: true, force: true });
      return "conflict";
    }
    for (const a of existing) await discardDir(a.dir);
    const id = await nextId(root);
    const manifest = await manifestFor(path.join(stage, "files"), { ...meta, id, createdAt: new Date().toISOString() });
    await writeJsonAtomic(path.join(stage, "manifest.json"), manifest);
    const dir = path.join(root, `${id}-${dirSafe(meta.name)}`);
    if (!(await commitDir(stage, dir))) throw new Error(`artifact folder ${dir} already exists`);
    return { ...manifest, dir };
  });
}

/** upload-artifact v3: a second upload to a name adds its files (same paths replaced) to the artifact. */
export async function appendArtifact(dataDir: string, runId: number, stage: string, meta: Meta): Promise<StoredArtifact> {
  const root = runDir(dataDir, runId);
  return withLock(path.join(root, ".lock"), async () => {
    const target = (await listStored(dataDir, runId)).find((a) => a.name === meta.name);
    if (!target) {
      const id = await nextId(root);
      const manifest = await manifestFor(path.join(stage, "files"), { ...meta, id, createdAt: new Date().toISOString() });
      await writeJsonAtomic(path.join(stage, "manifest.json"), manifest);
      const dir = path.join(root, `${id}-${dirSafe(meta.name)}`);
      await commitDir(stage, dir);
      return { ...manifest, dir };
    }
    for (const f of await listFiles(path.join(stage, "files"))) {
      const dest = path.join(target.dir, "files", f.rel);
      await mkdir(path.dirname(dest), { recursive: true });
      await rm(dest, { recursive: true, force: true });
      await rename(path.join(stage, "files", f.rel), dest);
    }
    await rm(stage, { recursive: true, force: true });
    const { dir: _dir, ...prev } = target;
    const manifest = await manifestFor(path.join(target.dir, "files"), { ...prev, expiresAt: meta.expiresAt ?? prev.expiresAt });
    await writeJsonAtomic(path.join(target.dir, "manifest.json"), manifest);
    return { ...manifest, dir: target.dir };
  });
}

async function manifestFor(files: string, base: Omit<ArtifactManifest, "size" | "files" | "digest">): Promise<ArtifactManifest> {
  const list = await listFiles(files);
  return { ...base, size: list.reduce((n, f) => n + f.size, 0), files: list.length, digest: await treeDigest(files) };
}

/** Ids are per run and never reused, even after an overwrite deletes one. */
async function nextId(root: string): Promise<number> {
  const file = path.join(root, "last-id.json");
  const last = (await readJson<{ last: number }>(file))?.last ?? 0;
  await writeJsonAtomic(file, { last: last + 1 });
  return last + 1;
}

/** Names are validated against path characters already; this only bounds the folder name's length. */
function dirSafe(name: string): string {
  return name.length > 100 ? name.slice(0, 100) : name;
}
