/**
 * Secret masking as actions/runner does it (SecretMasker): every occurrence of every registered
 * value, and of its encoded forms, is found; overlapping or touching occurrences merge into one
 * range; each range becomes `***`. There is no minimum length: a one-character secret masks
 * every such character, as on GitHub.
 */
import { trimDotNet } from "./dotnet-text.ts";
import type { ValueEncoder } from "./value-encoders.ts";
import { RUNNER_VALUE_ENCODERS } from "./value-encoders.ts";

export interface MaskerOptions {
  /** Defaults to the runner's encoders; pass [] to mask only the literal values. */
  encoders?: readonly ValueEncoder[];
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&");

export class Masker {
  private readonly values = new Set<string>();
  private readonly encoders: readonly ValueEncoder[];
  private pattern: RegExp | null = null;

  constructor(opts: MaskerOptions = {}) {
    this.encoders = opts.encoders ?? RUNNER_VALUE_ENCODERS;
  }

  /** How many distinct strings (values and their encodings) are masked. */
  get size(): number {
    return this.values.size;
  }

  /**
   * `::add-mask::` semantics: whitespace-only values are ignored; a multi-line value is registered
   * whole and line by line (each trimmed, empty ones skipped), because step output reaches the
   * masker one line at a time.
   */
  add(secret: string): void {
    if (trimDotNet(secret) === "") return;
    this.addValue(secret);
    for (const line of secret.split(/[\r\n]/)) {
      const trimmed = trimDotNet(line);
      if (trimmed !== "") this.addValue(trimmed);
    }
  }

  /** A `secrets.*` value from the job: the runner trims it before registering it like add-mask. */
  addSecret(value: string): void {
    this.add(trimDotNet(value));
  }

  /** SecretMasker.AddValue: exactly this string (and its encodings), unless empty. */
  addValue(value: string): void {
    if (value === "" || this.values.has(value)) return;
    this.values.add(value);
    for (const encode of this.encoders) {
      const encoded = encode(value);
      if (encoded !== "") this.values.add(encoded);
    }
    this.pattern = null;
  }

  mask(text: string): string {
    if (text === "" || this.values.size === 0) return text;
    const re = this.compiled();
    re.lastIndex = 0;
    let m = re.exec(text);
    if (m === null) return text;
    let out = "";
    let copied = 0;
    let start = -1;
    let end = -1;
    while (m !== null) {
      const s = m.index;
      const e = s + m[0].length;
      if (start >= 0 && s <= end) {
        end = Math.max(end, e);
      } else {
        if (start >= 0) {
          out += text.slice(copied, start) + "***";
          copied = end;
        }
        start = s;
        end = e;
      }
      // Look again one character on: a secret starting inside this match may reach further.
      re.lastIndex = s + 1;
      m = re.exec(text);
    }
    return out + text.slice(copied, start) + "***" + text.slice(end);
  }

  /**
   * One alternation, longest value first, so a match at a position is the longest secret starting
   * there; together with the one-step rescan that yields the union of all occurrences.
   */
  private compiled(): RegExp {
    if (this.pattern) return this.pattern;
    const sorted = [...this.values].sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(sorted.map(escapeRegExp).join("|"), "g");
    return this.pattern;
  }
}
