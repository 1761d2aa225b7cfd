// Why: the editor's diagnostics of an autoscale formula: the checker's problems with 0-based line/character ranges taken from their spans, vscode-free.

import { checkFormulaText, type Diagnostic } from "../../autoscale";

export interface EditorDiagnostic {
  readonly severity: Diagnostic["severity"];
  readonly code: string;
  readonly message: string;
  /** 0-based, as editors count */
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
}

/** Positions of `text` by offset, for turning a span's end offset into a line and character. */
function positionOf(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: Math.min(offset, text.length) - lineStart };
}

/** Every syntax, name and type problem of `text` (what the service would reject or fail on), as editor ranges. */
export function formulaDiagnostics(text: string): EditorDiagnostic[] {
  return checkFormulaText(text).map((d) => {
    const start = { line: d.span.line - 1, character: d.span.column - 1 };
    // an empty span (at the end of the text, a missing token) still gets one character so it can be seen
    const end = positionOf(text, d.span.offset + Math.max(d.span.length, d.span.offset < text.length ? 1 : 0));
    return {
      severity: d.severity,
      code: d.code,
      message: d.message,
      startLine: start.line,
      startCharacter: start.character,
      endLine: end.line,
      endCharacter: end.character,
    };
  });
}
