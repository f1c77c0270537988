// docs/benchmarks.md keeps one section per day, newest first; a rerun replaces only today's.

export const INTRO = `# Benchmarks

Written by \`npm run bench\` (bench/run.ts); each dated section below is one run of it, newest first.
A rerun on the same day replaces that day's section. The figures are whatever that run measured.
`;

const DATED = /^## (\d{4}-\d{2}-\d{2})\b/;

export function upsertSection(existing: string, date: string, body: string): string {
  const sections = new Map<string, string>();
  let current: string | null = null;
  let lines: string[] = [];
  const flush = (): void => {
    if (current !== null) sections.set(current, lines.join("\n").trimEnd());
  };
  for (const line of existing.split("\n")) {
    const match = DATED.exec(line);
    if (match) {
      flush();
      current = match[1]!;
      lines = [line];
    } else if (current !== null) {
      lines.push(line);
    }
  }
  flush();
  sections.set(date, `## ${date}\n\n${body.trim()}`);
  const ordered = [...sections.entries()].sort(([a], [b]) => b.localeCompare(a)).map(([, text]) => text);
  return `${INTRO}\n${ordered.join("\n\n")}\n`;
}

export function localDate(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
