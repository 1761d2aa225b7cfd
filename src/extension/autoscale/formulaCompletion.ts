// Why: completion items for autoscale formulas (service variables, functions, constants, keywords; methods and members after a `.`), vscode-free.

import { FORMULA_WORDS, type FormulaWord } from "./formulaWords";

export interface FormulaCompletion {
  readonly label: string;
  readonly kind: FormulaWord["kind"];
  /** the signature */
  readonly detail: string;
  readonly doc: string;
  /** what is inserted: functions and methods get `(`; `$`-names are inserted whole */
  readonly insertText: string;
}

/** What to offer at `offset`: after a `.` the sample methods and timestamp members, elsewhere everything else. */
export function completionsAt(text: string, offset: number): FormulaCompletion[] {
  let start = offset;
  while (start > 0 && /[\w$]/.test(text[start - 1])) start--;
  let before = start - 1;
  while (before >= 0 && /[ \t]/.test(text[before])) before--;
  const afterDot = before >= 0 && text[before] === ".";
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  if (text.slice(lineStart, offset).includes("//")) return [];
  return FORMULA_WORDS.filter((w) => (w.kind === "method" || w.kind === "member") === afterDot).map((w) => ({
    label: w.name,
    kind: w.kind,
    detail: w.signature,
    doc: w.doc,
    insertText: w.kind === "function" || w.kind === "method" ? `${w.name}(` : w.name,
  }));
}
