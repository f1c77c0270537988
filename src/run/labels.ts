/** Which `runs-on` labels this machine's host executor serves; the rest are reported, not hung on. */
const HOST_LABELS = [/^ubuntu-.+$/, /^linux$/, /^self-hosted$/, /^x64$/];

export function servesLabels(value: unknown): { ok: true } | { ok: false; reason: string } {
  const labels = labelList(value);
  if (labels.length === 0) return { ok: false, reason: "the job has no runs-on labels" };
  const missing = labels.filter((l) => !HOST_LABELS.some((re) => re.test(l.toLowerCase())));
  if (missing.length === 0) return { ok: true };
  return { ok: false, reason: `no executor here serves runs-on label(s) ${missing.map((m) => `'${m}'`).join(", ")} (the host executor serves ubuntu-*, linux, self-hosted, x64)` };
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
