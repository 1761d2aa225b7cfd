// Why: turns formula text into tokens with exact positions, and names each lexical mistake (stray characters, unterminated strings, unsupported comment and literal forms) with its fix.

import type { Diagnostic, SourceText, Token } from "./syntax";

export const SYNTAX_ERROR = "AutoScalingFormulaSyntaxError";

const TWO_CHAR = ["<=", ">=", "==", "!=", "&&", "||"];
const ONE_CHAR = "()+-*/<>!?:,;.=";

export interface LexResult {
  tokens: Token[];
  diagnostics: Diagnostic[];
}

export function tokenize(source: SourceText): LexResult {
  const text = source.text;
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  const fail = (start: number, end: number, message: string) =>
    diagnostics.push({ severity: "error", code: SYNTAX_ERROR, message, span: source.span(start, end) });
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      i++;
    } else if (text.startsWith("//", i)) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (text.startsWith("/*", i)) {
      // block comments are not documented for Batch formulas; rejecting them keeps local formulas valid on Azure
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      fail(i, stop, "Block comments (/* ... */) are not supported in autoscale formulas; use // comments instead.");
      i = stop;
    } else if (isDigit(c) || (c === "." && isDigit(text[i + 1] ?? ""))) {
      const start = i;
      if (c === ".") {
        while (i < text.length && (isDigit(text[i]) || text[i] === ".")) i++;
        fail(start, i, `A number must start with a digit: write 0${text.slice(start, i)} instead of ${text.slice(start, i)}.`);
        continue;
      }
      i = scanNumber(text, i);
      if (isNameChar(text[i] ?? "")) {
        const end = scanWhile(text, i, isNameChar);
        fail(start, end, `"${text.slice(start, end)}" is not a valid number or name: names must start with a letter, "_" or "$".`);
        i = end;
        continue;
      }
      tokens.push({ kind: "number", text: text.slice(start, i), span: source.span(start, i) });
    } else if (c === "$" || isNameStart(c)) {
      const start = i;
      i = scanWhile(text, i + 1, isNameChar);
      if (c === "$" && !isNameStart(text[start + 1] ?? "")) {
        fail(start, i, 'A "$" must be followed by a variable name, as in $TargetDedicatedNodes.');
        continue;
      }
      tokens.push({ kind: "name", text: text.slice(start, i), span: source.span(start, i) });
    } else if (c === '"') {
      const start = i;
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== "\n") i++;
      if (text[i] !== '"') {
        fail(start, i, 'Unterminated string: add the closing double quote (") on the same line.');
        continue;
      }
      i++;
      tokens.push({ kind: "string", text: text.slice(start + 1, i - 1), span: source.span(start, i) });
    } else if (c === "'") {
      const end = Math.max(text.indexOf("'", i + 1) + 1, i + 1);
      fail(i, end, "Strings use double quotes in autoscale formulas: write \"...\" instead of '...'.");
      i = end;
    } else if (TWO_CHAR.includes(text.slice(i, i + 2))) {
      tokens.push({ kind: "punct", text: text.slice(i, i + 2), span: source.span(i, i + 2) });
      i += 2;
    } else if (ONE_CHAR.includes(c)) {
      tokens.push({ kind: "punct", text: c, span: source.span(i, i + 1) });
      i++;
    } else if (c === "&" || c === "|") {
      fail(i, i + 1, `Unknown operator "${c}": the logical operators are "${c}${c}".`);
      i++;
    } else if (c === "[" || c === "]") {
      fail(i, i + 1, "Vector literals ([...]) are not part of the formula language; vectors come from GetSample or from lg/ln/log of several values.");
      i++;
    } else {
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      fail(i, i + ch.length, `Unexpected character "${ch}" (U+${cp.toString(16).toUpperCase().padStart(4, "0")}).`);
      i += ch.length;
    }
  }
  tokens.push({ kind: "eof", text: "", span: source.span(text.length, text.length) });
  return { tokens, diagnostics };
}

/** digits, an optional fraction, an optional exponent (1e3, 2.5E-2) */
function scanNumber(text: string, start: number): number {
  let i = scanWhile(text, start, isDigit);
  if (text[i] === "." && isDigit(text[i + 1] ?? "")) i = scanWhile(text, i + 1, isDigit);
  if ((text[i] === "e" || text[i] === "E") && /^[+-]?\d/.test(text.slice(i + 1, i + 3))) {
    i++;
    if (text[i] === "+" || text[i] === "-") i++;
    i = scanWhile(text, i, isDigit);
  }
  return i;
}

function scanWhile(text: string, start: number, test: (c: string) => boolean): number {
  let i = start;
  while (i < text.length && test(text[i])) i++;
  return i;
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function isNameStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}

function isNameChar(c: string): boolean {
  return isNameStart(c) || isDigit(c);
}
