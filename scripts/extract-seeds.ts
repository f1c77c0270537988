/**
 * Pulls every GitHub Actions workflow out of the seed design documents (Markdown, ../shared/seeds/*.txt)
 * into test/fixtures/seeds/<seed-id>/<name>.yml, byte for byte, plus an index.json.
 *
 *   node --import tsx scripts/extract-seeds.ts [SEEDS_DIR] [OUT_DIR]
 *
 * test/seeds/seeds.test.ts imports `extractSeed` to re-extract and check the committed fixtures have not drifted.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "yaml";

export interface SeedWorkflow {
  /** Seed document id: its file name without `.txt`. */
  seed: string;
  /** Fixture path relative to the fixtures folder: `<seed>/<name>.yml`, or `<seed>/<n>-<name>.yml` for a repeated name. */
  file: string;
  /** 1-based line of the block's first content line in the seed document. */
  sourceLine: number;
  /** The workflow file name the document gives it (e.g. `ci.yml`). */
  name: string;
}

export interface ExtractedWorkflow extends SeedWorkflow {
  /** The block's bytes exactly as in the document (latin1-encoded so every byte survives a round trip). */
  bytes: Buffer;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The seeds folder: beside the checkout in CI, or /work/shared when run from a nested worktree. */
export function seedsDir(): string | undefined {
  return [path.resolve(ROOT, "../shared/seeds"), path.resolve(ROOT, "../../shared/seeds")].find((p) => existsSync(p));
}

interface Block {
  /** 0-based index of the opening fence line. */
  fence: number;
  lang: string;
  lines: string[];
}

/**
 * Fenced blocks, in order. Lines are split on "\n" only and keep no terminator, so joining them back with
 * "\n" (plus the final one) reproduces the original bytes.
 */
function fencedBlocks(lines: string[]): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i] as string);
    if (!open) continue;
    const [, indent, fence, lang] = open as unknown as [string, string, string, string];
    let j = i + 1;
    const close = new RegExp(`^\\s{0,${indent.length + 3}}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    while (j < lines.length && !close.test(lines[j] as string)) j++;
    out.push({ fence: i, lang: lang.toLowerCase(), lines: lines.slice(i + 1, j) });
    i = j;
  }
  return out;
}

/** A workflow is a mapping with `jobs` and `on` (`true` once YAML 1.1 has read `on` as a boolean). */
function isWorkflow(text: string): boolean {
  try {
    const doc = parse(text, { strict: false, uniqueKeys: false });
    if (doc && typeof doc === "object" && !Array.isArray(doc)) return "jobs" in doc && ("on" in doc || "true" in doc);
  } catch {
    // A broken workflow is still a workflow: fall through to the top-level keys, so lint gets to report it.
  }
  return /^jobs\s*:/m.test(text) && /^["']?on["']?\s*:/m.test(text);
}

/**
 * The file name the document gives the block: a leading `# .github/workflows/x.yml` comment inside it, else the
 * nearest line above it naming a `.yml` in backticks, as in `**File**: \`x.yml\``, looking no further back than
 * the previous block or the section's heading (a name in an earlier section belongs to something else).
 */
function nameOf(block: Block, lines: string[], floor: number): string | null {
  const first = block.lines.find((l) => l.trim() !== "");
  const inside = first && /^\s*#\s*(?:\.github\/workflows\/)([\w.-]+\.ya?ml)\b/.exec(first);
  if (inside) return inside[1] as string;
  for (let i = block.fence - 1; i > floor; i--) {
    const m = /`(?:[^`]*\/)?([\w.-]+\.ya?ml)`/.exec(lines[i] as string);
    if (m) return m[1] as string;
    if (/^#{1,6}\s/.test(lines[i] as string)) break;
  }
  return null;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "workflow";
}

/** Every workflow block of one seed document, with the fixture file name it gets. */
export function extractSeed(seed: string, raw: Buffer): ExtractedWorkflow[] {
  const lines = raw.toString("latin1").split("\n");
  const found: Array<{ block: Block; name: string; text: string }> = [];
  let floor = -1;
  for (const block of fencedBlocks(lines)) {
    const text = Buffer.from(block.lines.join("\n"), "latin1").toString("utf8");
    if ((block.lang === "yaml" || block.lang === "yml") && isWorkflow(text)) {
      const named = nameOf(block, lines, floor);
      const title = /^name:\s*["']?(.+?)["']?\s*$/m.exec(text)?.[1];
      found.push({ block, name: named ?? `${slug(title ?? `workflow-${found.length + 1}`)}.yml`, text });
    }
    floor = block.fence + block.lines.length + 1;
  }
  const seen = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const f of found) counts.set(f.name, (counts.get(f.name) ?? 0) + 1);
  return found.map(({ block, name }) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    const base = (counts.get(name) ?? 0) > 1 ? `${n}-${name}` : name;
    // The closing fence's line break ends the last content line: keep it, so the file ends with "\n".
    const bytes = Buffer.from(block.lines.map((l) => `${l}\n`).join(""), "latin1");
    return { seed, file: `${seed}/${base}`, sourceLine: block.fence + 2, name, bytes };
  });
}

/** All seed documents in `dir`, in file-name order. */
export function extractAll(dir: string): ExtractedWorkflow[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .flatMap((f) => extractSeed(f.replace(/\.txt$/, ""), readFileSync(path.join(dir, f))));
}

function main(): void {
  const from = process.argv[2] ?? seedsDir();
  if (!from) throw new Error("no seeds folder: pass one, or put the seeds in ../shared/seeds");
  const out = process.argv[3] ?? path.join(ROOT, "test/fixtures/seeds");
  const all = extractAll(from);
  rmSync(out, { recursive: true, force: true });
  for (const w of all) {
    mkdirSync(path.dirname(path.join(out, w.file)), { recursive: true });
    writeFileSync(path.join(out, w.file), w.bytes);
  }
  const index: SeedWorkflow[] = all.map(({ seed, file, sourceLine, name }) => ({ seed, file, sourceLine, name }));
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "index.json"), `${JSON.stringify(index, null, 2)}\n`);
  process.stdout.write(`${all.length} workflow(s) from ${new Set(all.map((w) => w.seed)).size} seed(s) -> ${path.relative(process.cwd(), out) || "."}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
