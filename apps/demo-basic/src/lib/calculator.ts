import { DomainError } from "./domain-error.js";

/** The longest expression {@link evaluate} accepts, in characters. */
export const MAX_EXPRESSION_LENGTH = 1000;

/** The deepest nesting (parentheses, unary signs, exponents) {@link evaluate} accepts. */
export const MAX_NESTING_DEPTH = 100;

type Operator = "+" | "-" | "*" | "/" | "^";

type Token =
  | { kind: "number"; value: number; text: string; pos: number }
  | { kind: "operator"; op: Operator; text: string; pos: number }
  | { kind: "lparen"; text: string; pos: number }
  | { kind: "rparen"; text: string; pos: number };

const OPERATORS: Readonly<Record<string, Operator>> = {
  "+": "+",
  "-": "-",
  "*": "*",
  "×": "*",
  "/": "/",
  "÷": "/",
  "^": "^",
};

const NUMBER_PATTERN = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const MALFORMED_NUMBER_TAIL = /[\w.]*/y;

/** Positions in messages are 1-based, counted in UTF-16 code units like `String#length`. */
function at(pos: number): string {
  return `at position ${pos + 1}`;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const op = OPERATORS[ch];
    if (op !== undefined) {
      tokens.push({ kind: "operator", op, text: ch, pos: i });
      i += 1;
      continue;
    }
    if (ch === "(" || ch === ")") {
      tokens.push({ kind: ch === "(" ? "lparen" : "rparen", text: ch, pos: i });
      i += 1;
      continue;
    }
    NUMBER_PATTERN.lastIndex = i;
    const match = NUMBER_PATTERN.exec(source);
    if (match !== null) {
      const text = match[0];
      const end = i + text.length;
      const next = source[end];
      if (next === "." || next === "e" || next === "E") {
        // "1.2.3", "2e", "2e+", "3e4e5": report the whole malformed run, not a confusing tail.
        MALFORMED_NUMBER_TAIL.lastIndex = end;
        const tail = MALFORMED_NUMBER_TAIL.exec(source)?.[0] ?? "";
        throw new DomainError(`Malformed number "${text}${tail}" ${at(i)}`);
      }
      const value = Number(text);
      if (!Number.isFinite(value)) {
        throw new DomainError(`Number "${text}" ${at(i)} is too large`);
      }
      tokens.push({ kind: "number", value, text, pos: i });
      i = end;
      continue;
    }
    if (ch === ".") {
      throw new DomainError(`Malformed number "." ${at(i)}: a decimal point needs digits`);
    }
    const codePoint = String.fromCodePoint(source.codePointAt(i) ?? 0);
    throw new DomainError(`Unknown character ${JSON.stringify(codePoint)} ${at(i)}`);
  }
  return tokens;
}

function checkParentheses(tokens: readonly Token[]): void {
  const open: number[] = [];
  for (const token of tokens) {
    if (token.kind === "lparen") open.push(token.pos);
    else if (token.kind === "rparen" && open.pop() === undefined) {
      throw new DomainError(`Unbalanced parentheses: unexpected ")" ${at(token.pos)}`);
    }
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) {
    throw new DomainError(`Unbalanced parentheses: "(" ${at(unclosed)} is never closed`);
  }
}

function apply(op: Operator, left: number, right: number, token: Token): number {
  let result: number;
  switch (op) {
    case "+":
      result = left + right;
      break;
    case "-":
      result = left - right;
      break;
    case "*":
      result = left * right;
      break;
    case "/":
      if (right === 0) throw new DomainError(`Division by zero ${at(token.pos)}`);
      result = left / right;
      break;
    case "^":
      result = left ** right;
      break;
  }
  if (!Number.isFinite(result)) {
    throw new DomainError(
      `The result is not a finite number: "${token.text}" ${at(token.pos)} overflows or is undefined`,
    );
  }
  return result;
}

/**
 * Recursive descent over the grammar (lowest to highest precedence):
 *
 *   expression := term (("+" | "-") term)*
 *   term       := unary (("*" | "/") unary)*
 *   unary      := ("+" | "-") unary | power
 *   power      := primary ("^" unary)?
 *   primary    := number | "(" expression ")"
 *
 * so `^` is right-associative and binds tighter than a unary sign on its left (`-2^2 = -4`),
 * while its exponent may carry its own sign (`2^-1 = 0.5`).
 */
class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): number {
    const value = this.parseExpression();
    const extra = this.tokens[this.index];
    if (extra !== undefined) {
      throw new DomainError(`Unexpected "${extra.text}" ${at(extra.pos)}: expected an operator`);
    }
    return value;
  }

  private peekOperator(...ops: Operator[]): (Token & { kind: "operator" }) | undefined {
    const token = this.tokens[this.index];
    return token?.kind === "operator" && ops.includes(token.op) ? token : undefined;
  }

  private nested<T>(parse: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_NESTING_DEPTH) {
      throw new DomainError(
        `The expression is nested too deeply (maximum depth is ${MAX_NESTING_DEPTH})`,
      );
    }
    const value = parse();
    this.depth -= 1;
    return value;
  }

  private parseExpression(): number {
    let left = this.parseTerm();
    for (let token = this.peekOperator("+", "-"); token; token = this.peekOperator("+", "-")) {
      this.index += 1;
      left = apply(token.op, left, this.parseTerm(), token);
    }
    return left;
  }

  private parseTerm(): number {
    let left = this.parseUnary();
    for (let token = this.peekOperator("*", "/"); token; token = this.peekOperator("*", "/")) {
      this.index += 1;
      left = apply(token.op, left, this.parseUnary(), token);
    }
    return left;
  }

  private parseUnary(): number {
    const sign = this.peekOperator("+", "-");
    if (sign === undefined) return this.parsePower();
    this.index += 1;
    const operand = this.nested(() => this.parseUnary());
    return sign.op === "-" ? -operand : operand;
  }

  private parsePower(): number {
    const base = this.parsePrimary();
    const caret = this.peekOperator("^");
    if (caret === undefined) return base;
    this.index += 1;
    const exponent = this.nested(() => this.parseUnary());
    return apply("^", base, exponent, caret);
  }

  private parsePrimary(): number {
    const token = this.tokens[this.index];
    if (token === undefined) {
      throw new DomainError('The expression ends unexpectedly: expected a number or "("');
    }
    if (token.kind === "number") {
      this.index += 1;
      return token.value;
    }
    if (token.kind === "lparen") {
      this.index += 1;
      const value = this.nested(() => this.parseExpression());
      const close = this.tokens[this.index];
      if (close?.kind !== "rparen") {
        const where = close === undefined ? "at the end" : `"${close.text}" ${at(close.pos)}`;
        throw new DomainError(`Expected ")" to close "(" ${at(token.pos)}, found ${where}`);
      }
      this.index += 1;
      return value;
    }
    throw new DomainError(`Unexpected "${token.text}" ${at(token.pos)}: expected a number or "("`);
  }
}

/**
 * Safely evaluates an arithmetic expression (no `eval`): numbers, `+ - * / × ÷ ^`, parentheses
 * and unary signs; throws a DomainError with the reason and 1-based position on bad input.
 *
 * @example
 * evaluate("2 + 3 × (4 - 1)"); // 11
 * evaluate("-2^2"); // -4
 * evaluate("2^-1"); // 0.5
 */
export function evaluate(expression: string): number {
  if (typeof expression !== "string") {
    throw new DomainError("The expression must be a string");
  }
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new DomainError(
      `The expression is too long (${expression.length} characters; maximum is ${MAX_EXPRESSION_LENGTH})`,
    );
  }
  if (expression.trim() === "") {
    throw new DomainError("The expression is empty");
  }
  const tokens = tokenize(expression);
  checkParentheses(tokens);
  const result = new Parser(tokens).parse();
  // Report -0 as 0: users never mean a negative zero.
  return result === 0 ? 0 : result;
}
