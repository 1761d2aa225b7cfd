// Why: the shapes every autoscale stage shares (source positions, diagnostics, tokens, the syntax tree), so the lexer, parser, checker and evaluator agree on them.

/** A stretch of formula text: 0-based offset and length, 1-based line and column of its start. */
export interface Span {
  offset: number;
  length: number;
  line: number;
  column: number;
}

export type Severity = "error" | "warning";

/** One problem found in a formula, positioned so an editor can show it as-is. */
export interface Diagnostic {
  severity: Severity;
  /** the service error code this maps to: AutoScalingFormulaSyntaxError or AutoScalingFormulaEvaluationError (or a limit code) */
  code: string;
  message: string;
  span: Span;
}

export type TokenKind = "number" | "string" | "name" | "punct" | "eof";

export interface Token {
  kind: TokenKind;
  /** the token text; for strings, the text between the quotes */
  text: string;
  span: Span;
}

export type BinaryOperator = "+" | "-" | "*" | "/" | "<" | "<=" | ">" | ">=" | "==" | "!=" | "&&" | "||";
export type UnaryOperator = "-" | "!";

export type Expr =
  | { type: "number"; value: number; span: Span }
  | { type: "string"; value: string; span: Span }
  /** a variable name as written: `$x`, `x`, `$PendingTasks` */
  | { type: "variable"; name: string; span: Span }
  /** a TimeInterval_* constant */
  | { type: "constant"; name: string; span: Span }
  /** a node deallocation keyword: requeue, terminate, taskcompletion, retaineddata */
  | { type: "keyword"; name: string; span: Span }
  | { type: "call"; name: string; nameSpan: Span; args: Expr[]; span: Span }
  /** `expr.member` without parentheses: timestamp parts such as `.hour` */
  | { type: "member"; object: Expr; member: string; memberSpan: Span; span: Span }
  /** `expr.Method(args)`: the sample methods such as `.GetSample(...)` */
  | { type: "method"; object: Expr; method: string; memberSpan: Span; args: Expr[]; span: Span }
  | { type: "unary"; op: UnaryOperator; operand: Expr; span: Span }
  | { type: "binary"; op: BinaryOperator; left: Expr; right: Expr; opSpan: Span; span: Span }
  | { type: "conditional"; test: Expr; consequent: Expr; alternate: Expr; span: Span };

export type Statement = { type: "assign"; name: string; nameSpan: Span; value: Expr; span: Span } | { type: "expression"; expr: Expr; span: Span };

export interface Formula {
  source: string;
  statements: Statement[];
}

/** Maps offsets of one source text to 1-based lines and columns. */
export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
  }

  span(offset: number, end: number): Span {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, length: Math.max(0, end - offset), line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  /** the span from the start of `a` to the end of `b` */
  join(a: Span, b: Span): Span {
    return this.span(a.offset, b.offset + b.length);
  }
}

/** "Line L, Col C: message": the position prefix the service puts in error values. */
export function positioned(span: Span, message: string): string {
  return `Line ${span.line}, Col ${span.column}: ${message}`;
}
