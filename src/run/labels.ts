/**
 * Which executor serves a job's `runs-on` labels. The host serves ubuntu-*, linux, self-hosted and
 * x64 unless a platform map (`-P LABEL=IMAGE`, .slipway.yml `platforms:`) sends a label to an image;
 * a job whose labels nothing serves is reported, never hung on.
 */
const HOST_LABELS = [/^ubuntu-.+$/, /^linux$/, /^self-hosted$/, /^x64$/];

export type Placement = { ok: true; image: string | null } | { ok: false; reason: string };

export function placeJob(value: unknown, platforms: Record<string, string> = {}): Placement {
  const labels = labelList(value);
  if (labels.length === 0) return { ok: false, reason: "the job has no runs-on labels" };
  const mapped = labels.map((l) => platforms[l] ?? platforms[l.toLowerCase()]).find((x) => x !== undefined);
  if (mapped !== undefined) return { ok: true, image: mapped === "host" || mapped === "-self-hosted" ? null : mapped.replace(/^docker:\/\//, "") };
  const missing = labels.filter((l) => !HOST_LABELS.some((re) => re.test(l.toLowerCase())));
  if (missing.length === 0) return { ok: true, image: null };
  return { ok: false, reason: `no executor here serves runs-on label(s) ${missing.map((m) => `'${m}'`).join(", ")} (the host executor serves ubuntu-*, linux, self-hosted, x64; map others to an image with -P LABEL=IMAGE or .slipway.yml platforms:)` };
}

function labelList(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.map(String);
  if (value && typeof value === "object") {
    const labels = (value as { labels?: unknown }).labels;
    return labelList(labels ?? []);
  }
  return [];
}
