/**
 * Slipway's own actions/upload-artifact and actions/download-artifact: the published ones talk to
 * GitHub's artifact service, these keep a run's artifacts under <dataDir>/artifacts/<runId>/.
 */
import { filesDir, listStored } from "./artifact-store.ts";
import type { ArtifactSummary } from "./types.ts";

export type { ArtifactContext, ArtifactSummary, BuiltinOutcome } from "./types.ts";
export { uploadArtifact } from "./upload.ts";
export { downloadArtifact } from "./download.ts";

/** A run's artifacts in id order, for `slipway` commands. */
export async function listArtifacts(dataDir: string, runId: number): Promise<ArtifactSummary[]> {
  return (await listStored(dataDir, runId)).map((a) => ({
    id: a.id,
    name: a.name,
    size: a.size,
    files: a.files,
    createdAt: a.createdAt,
    expiresAt: a.expiresAt,
    path: filesDir(a),
  }));
}
