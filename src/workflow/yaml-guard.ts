/**
 * Rejects YAML that would make GitHub's parser spin (alias bombs) or is simply too big, before it
 * reaches that parser. Also indexes every scalar's real value by position: the parser rebuilds
 * interpolated block scalars from raw source, so Slipway takes their values from here instead.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { Diagnostic } from "../common/diagnostic.ts";

export const MAX_FILE_BYTES = 1024 * 1024;
/** Nodes after expanding aliases; a large real workflow has a few thousand. */
export const MAX_EXPANDED_NODES = 200_000;

export type ScalarIndex = Map<string, string>;

export function positionKey(line: number, column: number): string {
  return `${line}:${column}`;
}

export function guardYaml(file: string, content: string): { diagnostics: Diagnostic[]; scalars: ScalarIndex } {
  const scalars: ScalarIndex = new Map();
  const bytes = Buffer.byteLength(content, "utf8");
  if (bytes > MAX_FILE_BYTES) {
    return { diagnostics: [whole(file, `file is ${bytes} bytes; the limit is ${MAX_FILE_BYTES}`)], scalars };
  }
  const lc = new LineCounter();
  const doc = parseDocument(content, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  const expanded = countExpanded(doc, doc.contents as Node | null, new Map(), 0);
  if (expanded > MAX_EXPANDED_NODES) {
    return {
      diagnostics: [whole(file, `YAML aliases expand to more than ${MAX_EXPANDED_NODES} nodes (an alias bomb?); refusing to parse`)],
      scalars,
    };
  }
  indexScalars(doc.contents as Node | null, lc, scalars);
  return { diagnostics: [], scalars };
}

function whole(file: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, severity: "error", message, rule: "syntax" };
}

/** Counts nodes as if aliases were expanded, memoising per anchored node so counting stays linear. */
function countExpanded(doc: Document, node: Node | null | undefined, memo: Map<Node, number>, depth: number): number {
  if (!node || depth > 1000) return 1;
  const known = memo.get(node);
  if (known !== undefined) return known;
  let n = 1;
  if (isAlias(node)) {
    const target = node.resolve(doc);
    n = target ? countExpanded(doc, target, memo, depth + 1) : 1;
  } else if (isMap(node) || isSeq(node)) {
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        n += countExpanded(doc, item.key as Node, memo, depth + 1) + countExpanded(doc, item.value as Node, memo, depth + 1);
      } else {
        n += countExpanded(doc, item as Node, memo, depth + 1);
      }
      if (n > MAX_EXPANDED_NODES) break;
    }
  }
  memo.set(node, n);
  return n;
}

function indexScalars(node: Node | null | undefined, lc: LineCounter, out: ScalarIndex): void {
  if (!node) return;
  if (isScalar(node)) {
    if (typeof node.value === "string" && node.range) {
      const p = lc.linePos(node.range[0]);
      out.set(positionKey(p.line, p.col), node.value);
    }
    return;
  }
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        indexScalars(item.key as Node, lc, out);
        indexScalars(item.value as Node, lc, out);
      } else indexScalars(item as Node, lc, out);
    }
  }
}

