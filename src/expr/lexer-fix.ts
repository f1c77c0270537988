/**
 * @actions/expressions 0.3.61 unescapes only the first doubled quote of a string literal
 * (`'a''b''c'` lexes as `a'b''c`): it calls `replace` where it means `replaceAll`. Slipway patches
 * the lexer once, here, rather than post-processing tokens everywhere they are used.
 */
import { Lexer } from "@actions/expressions";

interface LexerInternals {
  input: string;
  start: number;
  offset: number;
  line: number;
  peek(): string;
  peekNext(): string;
  next(): string;
  atEnd(): boolean;
  addToken(type: number, value?: string): void;
}

const STRING_TOKEN = 18; // TokenType.STRING

let patched = false;

export function patchLexer(): void {
  if (patched) return;
  patched = true;
  const proto = Lexer.prototype as unknown as { consumeString: (this: LexerInternals) => void };
  proto.consumeString = function consumeString(this: LexerInternals) {
    while ((this.peek() !== "'" || this.peekNext() === "'") && !this.atEnd()) {
      if (this.peek() === "\n") this.line++;
      if (this.peek() === "'" && this.peekNext() === "'") this.next();
      this.next();
    }
    if (this.atEnd()) {
      throw new Error(
        `Unexpected symbol: '${this.input.substring(this.start)}'. Located at position ${this.start + 1} within expression: ${this.input}`,
      );
    }
    this.next();
    const value = this.input.substring(this.start + 1, this.offset - 1).replaceAll("''", "'");
    this.addToken(STRING_TOKEN, value);
  };
}
