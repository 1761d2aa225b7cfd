// Why: a recursive-descent parser for autoscale formulas with C precedence (unary › * / › + - › relational › equality › && › || › ?: ), recovering at each ";" so an editor sees every syntax error with its position.

import { SYNTAX_ERROR, tokenize } from "./lexer";
import { type BinaryOperator, type Diagnostic, type Expr, type Formula, SourceText, type Span, type Statement, type Token } from "./syntax";
import { isDeallocationOption } from "./vocabulary";

export interface ParseResult {
  formula: Formula;
  /** syntax errors, in source order; the formula holds every statement that parsed */
  diagnostics: Diagnostic[];
}

class ParseError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

/** Choice: at most this many nested expressions (parentheses, arguments, unary operators). */
const MAX_NESTING = 200;

const LEVELS: BinaryOperator[][] = [["||"], ["&&"], ["==", "!="], ["<", "<=", ">", ">="], ["+", "-"], ["*", "/"]];

export function parseFormula(text: string): ParseResult {
  const source = new SourceText(text);
  const lexed = tokenize(source);
  const parser = new Parser(source, lexed.tokens);
  const statements = parser.statements();
  const diagnostics = [...lexed.diagnostics, ...parser.diagnostics].sort((a, b) => a.span.offset - b.span.offset);
  return { formula: { source: text, statements }, diagnostics };
}

class Parser {
  readonly diagnostics: Diagnostic[] = [];
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly source: SourceText,
    private readonly tokens: Token[],
  ) {}

  statements(): Statement[] {
    const out: Statement[] = [];
    while (this.peek().kind !== "eof") {
      if (this.isPunct(";")) {
        this.pos++; // empty statement (e.g. a trailing ";")
        continue;
      }
      try {
        out.push(this.statement());
        if (!this.isPunct(";") && this.peek().kind !== "eof") throw this.unexpected('";" between statements');
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        this.diagnostics.push({ severity: "error", code: SYNTAX_ERROR, message: error.message, span: error.span });
        while (this.peek().kind !== "eof" && !this.isPunct(";")) this.pos++;
      }
    }
    return out;
  }

  private statement(): Statement {
    const first = this.peek();
    const next = this.tokens[this.pos + 1];
    if (first.kind === "name" && next?.kind === "punct" && next.text === "=") {
      this.pos += 2;
      if (first.text.startsWith("TimeInterval_") || isDeallocationOption(first.text)) {
        throw new ParseError(`"${first.text}" is a built-in constant and cannot be assigned; choose another variable name.`, first.span);
      }
      const value = this.expression();
      return { type: "assign", name: first.text, nameSpan: first.span, value, span: this.source.join(first.span, value.span) };
    }
    const expr = this.expression();
    if (this.isPunct("=")) throw new ParseError('The left side of "=" must be a variable name, such as $TargetDedicatedNodes or myValue.', expr.span);
    return { type: "expression", expr, span: expr.span };
  }

  private expression(): Expr {
    return this.expressionDepth(() => this.conditional());
  }

  private conditional(): Expr {
    const test = this.binary(0);
    if (!this.isPunct("?")) return test;
    this.pos++;
    const consequent = this.expression();
    this.expect(":", 'the ":" of a conditional (condition ? value : otherValue)');
    const alternate = this.expression();
    return { type: "conditional", test, consequent, alternate, span: this.source.join(test.span, alternate.span) };
  }

  private binary(level: number): Expr {
    if (level === LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    while (this.peek().kind === "punct" && (LEVELS[level] as string[]).includes(this.peek().text)) {
      const opToken = this.tokens[this.pos++];
      const right = this.binary(level + 1);
      const op = opToken.text as BinaryOperator;
      left = { type: "binary", op, left, right, opSpan: opToken.span, span: this.source.join(left.span, right.span) };
    }
    return left;
  }

  private unary(): Expr {
    const token = this.peek();
    if (token.kind === "punct" && (token.text === "-" || token.text === "!")) {
      this.pos++;
      const operand = this.expressionDepth(() => this.unary());
      return { type: "unary", op: token.text, operand, span: this.source.join(token.span, operand.span) };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    let expr = this.primary();
    while (this.isPunct(".")) {
      this.pos++;
      const member = this.peek();
      if (member.kind !== "name" || member.text.startsWith("$")) throw this.unexpected('a member name after "." (such as .hour or .GetSample(...))');
      this.pos++;
      if (this.isPunct("(")) {
        const { args, end } = this.argumentList();
        expr = { type: "method", object: expr, method: member.text, memberSpan: member.span, args, span: this.source.join(expr.span, end) };
      } else {
        expr = { type: "member", object: expr, member: member.text, memberSpan: member.span, span: this.source.join(expr.span, member.span) };
      }
    }
    return expr;
  }

  private primary(): Expr {
    const token = this.peek();
    if (token.kind === "number") {
      this.pos++;
      return { type: "number", value: Number(token.text), span: token.span };
    }
    if (token.kind === "string") {
      this.pos++;
      return { type: "string", value: token.text, span: token.span };
    }
    if (token.kind === "name") {
      this.pos++;
      if (this.isPunct("(")) {
        if (token.text.startsWith("$")) throw new ParseError(`"${token.text}" is a variable, not a function: function names have no "$".`, token.span);
        const { args, end } = this.argumentList();
        return { type: "call", name: token.text, nameSpan: token.span, args, span: this.source.join(token.span, end) };
      }
      if (token.text.startsWith("TimeInterval_")) return { type: "constant", name: token.text, span: token.span };
      if (isDeallocationOption(token.text)) return { type: "keyword", name: token.text, span: token.span };
      return { type: "variable", name: token.text, span: token.span };
    }
    if (this.isPunct("(")) {
      const open = this.tokens[this.pos++];
      const inner = this.expression();
      const close = this.expect(")", 'a closing ")"');
      return { ...inner, span: this.source.join(open.span, close.span) };
    }
    throw this.unexpected("an expression (a number, a variable, a function call or a parenthesised expression)");
  }

  private argumentList(): { args: Expr[]; end: Span } {
    this.pos++; // "("
    const args: Expr[] = [];
    if (!this.isPunct(")")) {
      args.push(this.expression());
      while (this.isPunct(",")) {
        this.pos++;
        args.push(this.expression());
      }
    }
    const close = this.expect(")", 'a "," or the closing ")" of the argument list');
    return { args, end: close.span };
  }

  /** counts a recursion level against MAX_NESTING, so hostile input fails with a message instead of a stack overflow */
  private expressionDepth<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING)
      throw new ParseError(`The expression is nested more than ${MAX_NESTING} levels deep; split it into several statements.`, this.peek().span);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private expect(text: string, what: string): Token {
    if (!this.isPunct(text)) throw this.unexpected(what);
    return this.tokens[this.pos++];
  }

  private unexpected(what: string): ParseError {
    const token = this.peek();
    const found = token.kind === "eof" ? "the end of the formula" : token.kind === "string" ? `the string "${token.text}"` : `"${token.text}"`;
    return new ParseError(`Expected ${what}, found ${found}.`, token.span);
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private isPunct(text: string): boolean {
    const token = this.tokens[this.pos];
    return token.kind === "punct" && token.text === text;
  }
}
