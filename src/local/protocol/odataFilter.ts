// Why: evaluates the OData `$filter` subset the Batch service accepts (comparisons, and/or/not, startswith) over wire objects.
import { invalidQueryParameter } from "./batchError";

type Token = { kind: "ident" | "string" | "number" | "datetime" | "punct" | "bool" | "null"; text: string; value?: unknown };

type Expr =
  | { type: "binary"; op: "and" | "or"; left: Expr; right: Expr }
  | { type: "not"; operand: Expr }
  | { type: "compare"; op: "eq" | "ne" | "gt" | "ge" | "lt" | "le"; left: Operand; right: Operand }
  | { type: "call"; name: "startswith" | "endswith" | "substringof"; args: Operand[] };

type Operand = { type: "property"; path: string[] } | { type: "literal"; value: unknown };

const COMPARISONS = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
const FUNCTIONS = new Set(["startswith", "endswith", "substringof"]);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push({ kind: "punct", text: ch });
      i++;
    } else if (ch === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated string literal");
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ kind: "string", text: value, value });
    } else if (/[-0-9]/.test(ch)) {
      const match = /^-?\d+(\.\d+)?/.exec(text.slice(i));
      if (!match) throw new Error(`unexpected character '${ch}' at ${i}`);
      tokens.push({ kind: "number", text: match[0], value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_$]/.test(ch)) {
      const match = /^[A-Za-z_$][A-Za-z0-9_$/.]*/.exec(text.slice(i))!;
      const word = match[0];
      i += word.length;
      if ((word === "datetime" || word === "DateTime") && text[i] === "'") {
        const end = text.indexOf("'", i + 1);
        if (end < 0) throw new Error("unterminated datetime literal");
        const raw = text.slice(i + 1, end);
        const time = Date.parse(raw);
        if (Number.isNaN(time)) throw new Error(`invalid datetime '${raw}'`);
        tokens.push({ kind: "datetime", text: raw, value: time });
        i = end + 1;
      } else if (word === "true" || word === "false") {
        tokens.push({ kind: "bool", text: word, value: word === "true" });
      } else if (word === "null") {
        tokens.push({ kind: "null", text: word, value: null });
      } else {
        tokens.push({ kind: "ident", text: word });
      }
    } else {
      throw new Error(`unexpected character '${ch}' at ${i}`);
    }
  }
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    const expr = this.parseOr();
    if (this.position < this.tokens.length) throw new Error(`unexpected '${this.tokens[this.position].text}'`);
    return expr;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position++];
    if (!token) throw new Error("unexpected end of expression");
    return token;
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.text !== text) throw new Error(`expected '${text}' but found '${token.text}'`);
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token?.kind === "ident" && token.text.toLowerCase() === word;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isKeyword("or")) {
      this.position++;
      left = { type: "binary", op: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseUnary();
    while (this.isKeyword("and")) {
      this.position++;
      left = { type: "binary", op: "and", left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isKeyword("not")) {
      this.position++;
      return { type: "not", operand: this.parseUnary() };
    }
    const token = this.peek();
    if (token?.text === "(") {
      this.position++;
      const inner = this.parseOr();
      this.expect(")");
      return inner;
    }
    if (token?.kind === "ident" && FUNCTIONS.has(token.text.toLowerCase()) && this.tokens[this.position + 1]?.text === "(") {
      this.position += 2;
      const args: Operand[] = [this.parseOperand()];
      while (this.peek()?.text === ",") {
        this.position++;
        args.push(this.parseOperand());
      }
      this.expect(")");
      if (args.length !== 2) throw new Error(`${token.text} takes two arguments`);
      return { type: "call", name: token.text.toLowerCase() as "startswith", args };
    }
    const left = this.parseOperand();
    const op = this.next();
    const opName = op.text.toLowerCase();
    if (op.kind !== "ident" || !COMPARISONS.has(opName)) throw new Error(`expected a comparison operator but found '${op.text}'`);
    return { type: "compare", op: opName as "eq", left, right: this.parseOperand() };
  }

  private parseOperand(): Operand {
    const token = this.next();
    if (token.kind === "ident") return { type: "property", path: token.text.split("/") };
    if (token.kind === "punct") throw new Error(`unexpected '${token.text}'`);
    return { type: "literal", value: token.value };
  }
}

function resolve(operand: Operand, item: unknown): unknown {
  if (operand.type === "literal") return operand.value;
  let value: unknown = item;
  for (const segment of operand.path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function comparable(value: unknown, other: unknown): unknown {
  if (typeof other === "number" && typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value)) return Date.parse(value);
  if (value instanceof Date) return value.getTime();
  return typeof value === "string" ? value.toLowerCase() : value;
}

function evaluate(expr: Expr, item: unknown): boolean {
  switch (expr.type) {
    case "binary":
      return expr.op === "and" ? evaluate(expr.left, item) && evaluate(expr.right, item) : evaluate(expr.left, item) || evaluate(expr.right, item);
    case "not":
      return !evaluate(expr.operand, item);
    case "call": {
      const [a, b] = expr.args.map((arg) => resolve(arg, item));
      if (typeof a !== "string" || typeof b !== "string") return false;
      const [x, y] = [a.toLowerCase(), b.toLowerCase()];
      if (expr.name === "startswith") return x.startsWith(y);
      if (expr.name === "endswith") return x.endsWith(y);
      return y.includes(x);
    }
    case "compare": {
      const rawLeft = resolve(expr.left, item);
      const rawRight = resolve(expr.right, item);
      const left = comparable(rawLeft, rawRight);
      const right = comparable(rawRight, rawLeft);
      switch (expr.op) {
        case "eq":
          return left === right || (left == null && right == null);
        case "ne":
          return !(left === right || (left == null && right == null));
        default: {
          if (left == null || right == null) return false;
          const l = left as number | string;
          const r = right as number | string;
          if (expr.op === "gt") return l > r;
          if (expr.op === "ge") return l >= r;
          if (expr.op === "lt") return l < r;
          return l <= r;
        }
      }
    }
  }
}

export type Predicate = (item: unknown) => boolean;

/** Compiles a `$filter` expression; a malformed one is reported as InvalidQueryParameterValue naming `$filter`. */
export function compileFilter(filter: string | undefined): Predicate {
  if (filter === undefined || filter.trim() === "") return () => true;
  try {
    const expr = new Parser(tokenize(filter)).parse();
    return (item) => evaluate(expr, item);
  } catch (error) {
    throw invalidQueryParameter("$filter", filter, `The $filter clause is not valid: ${(error as Error).message}.`);
  }
}
