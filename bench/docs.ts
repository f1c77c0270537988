// docs/benchmarks.md keeps one section per day, newest first; a rerun replaces only today's.

export const INTRO = `# Benchmarks

Written by \`npm run bench\` (bench/run.ts); each dated section below is one run of it, newest first.
A rerun on the same day replaces that day's section. The figures are whatever that run measured.

Reading the targets on this machine (2 cores, shared with other work):
- *≥ 30× faster than gitlab-ci-local* cannot be met here by any runner: gitlab-ci-local itself takes only
  about 15× the floor (the 150 bare processes), so even a runner as fast as the floor would be ~15× faster.
- *One-step start-up < 300 ms*: \`node -e 0\` alone takes ~110–120 ms here and each process start ~10–20 ms;
  a one-step run starts Node, one git process, \`mkfifo\` and the step's shell. Where the time goes was
  profiled (\`node --cpu-prof\`): bundle load, git, GitHub's workflow parser and its schema, SQLite. A
  repeated run reads its parsed workflows back from the data dir, so neither the parser nor the YAML library
  loads; \`.git\` is read directly instead of asking git three times; SQLite and Docker support load only
  when used.
- Figures move with the machine's load; the load average is recorded with each run.
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
