// Why: the hover of an autoscale formula: which word is under the cursor and its markdown (signature and doc), vscode-free.

import { type FormulaWord, lookupWord } from "./formulaWords";

export interface WordAt {
  readonly word: string;
  /** 0-based offsets in the text */
  readonly start: number;
  readonly end: number;
  /** true when the word follows a `.` (a method or member) */
  readonly afterDot: boolean;
}

const WORD_CHAR = /[\w$]/;

/** The name (letters, digits, `_`, an optional leading `$`) at `offset` of `text`, if any. */
export function wordAt(text: string, offset: number): WordAt | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && WORD_CHAR.test(text[start - 1])) start--;
  while (end < text.length && WORD_CHAR.test(text[end])) end++;
  if (start === end) return undefined;
  const word = text.slice(start, end);
  if (!/^\$?[A-Za-z_]\w*$/.test(word)) return undefined;
  let before = start - 1;
  while (before >= 0 && /[ \t]/.test(text[before])) before--;
  return { word, start, end, afterDot: before >= 0 && text[before] === "." };
}

/** Markdown for a word: the signature as code, then the doc. */
export function hoverMarkdown(word: FormulaWord): string {
  return `\`\`\`batch-autoscale\n${word.signature}\n\`\`\`\n\n${word.doc}`;
}

/** The hover at `offset`: the word's range and markdown, or undefined over user variables, numbers and punctuation. */
export function hoverAt(text: string, offset: number): { start: number; end: number; markdown: string; word: FormulaWord } | undefined {
  const at = wordAt(text, offset);
  const word = at && lookupWord(at.word, at.afterDot);
  return at && word ? { start: at.start, end: at.end, markdown: hoverMarkdown(word), word } : undefined;
}
