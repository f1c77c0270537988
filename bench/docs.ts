// docs/benchmarks.md keeps one section per day, newest first; a rerun replaces only today's.

export const INTRO = `# Benchmarks

Written by \`npm run bench\` (bench/run.ts); each dated section below is one run of it, newest first.
A rerun on the same day replaces that day's section. The figures are whatever that run measured.

Reading the targets on this machine (2 cores, shared with other work):
- *≥ 30× faster than gitlab-ci-local* cannot be met here by any runner: gitlab-ci-local itself takes only
  about 15× the floor (the 150 bare processes), so even a runner as fast as the floor would be ~15× faster.
- *One-step start-up < 300 ms*: \`node -e 0\` alone takes ~110–130 ms here, ~45 ms of it parsing the CA bundle
  this machine names in \`NODE_EXTRA_CA_CERTS\` (Node 20 with OpenSSL 3 does that at every start, nodejs/node#40524),
  and starting a process costs the parent ~5–10 ms. A repeated one-step run starts Node and the step's shell
  and nothing else: its parsed workflows are read back from the data dir (neither GitHub's parser nor the
  YAML library loads), HEAD's commit and changed files are read from \`.git\`'s loose objects (git runs only
  for packed objects or unusual settings), the step's named pipes are kept from earlier runs, and the
  bundle (minified, ASCII, so read as latin1 without UTF-8 decoding) is compiled from V8's code cache
  (bin/slipway.js). Where the time goes was profiled with \`node --cpu-prof\`: of a ~270 ms run on a quiet
  machine, ~120 ms is Node's own start, ~35 ms reading and deserializing the bundle, ~20 ms opening SQLite,
  ~20 ms spawning the step, ~12 ms garbage collection. Tried and dropped, as not measurably faster: bundling
  better-sqlite3's JavaScript, and a larger V8 young generation (slower); leaving GitHub's parser and the
  YAML library out of the bundle that runs load saved only ~7 ms, not worth a second bundle.
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
