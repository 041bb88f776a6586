import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate, MAX_EXPRESSION_LENGTH, MAX_NESTING_DEPTH } from "./calculator.js";
import { DomainError } from "./domain-error.js";

function expectDomainError(expression: string, message: RegExp): void {
  let caught: unknown;
  try {
    evaluate(expression);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(DomainError);
  expect((caught as DomainError).message).toMatch(message);
}

describe("evaluate: precedence and associativity", () => {
  it.each([
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["2 * 3 + 4", 10],
    ["10 - 4 - 3", 3],
    ["10 - (4 - 3)", 9],
    ["100 / 10 / 5", 2],
    ["8 / 2 * 4", 16],
    ["2 * 3 ^ 2", 18],
    ["2 ^ 2 * 3", 12],
    ["2^3^2", 512],
    ["(2^3)^2", 64],
    ["-2^2", -4],
    ["(-2)^2", 4],
    ["2^-1", 0.5],
    ["-2^-2", -0.25],
    ["2^-2^2", 0.0625],
    ["--3", 3],
    ["-+-3", 3],
    ["+4", 4],
    ["2*-3", -6],
    ["-3 * -3", 9],
    ["1 - -1", 2],
    ["6 ÷ 3 × 2", 4],
    ["7×6", 42],
    ["1 + 2 × 3 ÷ 4 - 5", -2.5],
  ])("%s = %d", (expression, expected) => {
    expect(evaluate(expression)).toBe(expected);
  });
});

describe("evaluate: numbers and whitespace", () => {
  it.each([
    ["42", 42],
    [".5", 0.5],
    ["1.5", 1.5],
    ["1.", 1],
    ["1e3", 1000],
    ["1E3", 1000],
    ["2.5e-1", 0.25],
    ["1e+2", 100],
    [".5e1", 5],
    ["  42  ", 42],
    ["\t1\n+\u00a02 ", 3],
    ["((((7))))", 7],
  ])("%j = %d", (expression, expected) => {
    expect(evaluate(expression)).toBe(expected);
  });

  it("returns 0 rather than -0", () => {
    expect(Object.is(evaluate("-0"), 0)).toBe(true);
    expect(Object.is(evaluate("0 * -1"), 0)).toBe(true);
  });

  it("keeps ordinary floating-point results", () => {
    expect(evaluate("0.1 + 0.2")).toBeCloseTo(0.3, 15);
  });
});

describe("evaluate: errors", () => {
  it.each([
    ["", /empty/],
    ["   \n ", /empty/],
    ["2 $ 3", /Unknown character "\$" at position 3/],
    ["2 + x", /Unknown character "x" at position 5/],
    ["1 + 😀", /Unknown character "😀" at position 5/],
    ["(1 + 2", /Unbalanced parentheses: "\(" at position 1 is never closed/],
    ["((1)", /Unbalanced parentheses: "\(" at position 1 is never closed/],
    ["1 + 2)", /Unbalanced parentheses: unexpected "\)" at position 6/],
    [")1(", /Unbalanced parentheses: unexpected "\)" at position 1/],
    ["1 2", /Unexpected "2" at position 3/],
    ["2(3)", /Unexpected "\(" at position 2/],
    ["(1)(2)", /Unexpected "\(" at position 4/],
    ["1 +", /ends unexpectedly/],
    ["*2", /Unexpected "\*" at position 1: expected a number/],
    ["()", /Unexpected "\)" at position 2/],
    ["2 ^", /ends unexpectedly/],
    ["1.2.3", /Malformed number "1\.2\.3" at position 1/],
    ["2e", /Malformed number "2e"/],
    ["3 + 4e+", /Malformed number "4e" at position 5/],
    [".", /Malformed number "\."/],
    ["1 / 0", /Division by zero at position 3/],
    ["1 / (2 - 2)", /Division by zero/],
    ["5 ÷ 0", /Division by zero/],
    ["1e400", /Number "1e400" at position 1 is too large/],
    ["10 ^ 400", /not a finite number/],
    ["1e308 * 10", /not a finite number/],
    ["0 ^ -1", /not a finite number/],
    ["(-8) ^ 0.5", /not a finite number/],
  ])("%j fails with %s", (expression, message) => {
    expectDomainError(expression, message);
  });

  it("rejects input longer than the limit, and accepts input exactly at it", () => {
    const atLimit = `${"1+".repeat(499)}11`;
    expect(atLimit).toHaveLength(MAX_EXPRESSION_LENGTH);
    expect(evaluate(atLimit)).toBe(510);
    expectDomainError(`${atLimit}1`, /too long \(1001 characters; maximum is 1000\)/);
  });

  it("rejects nesting deeper than the limit, and accepts nesting exactly at it", () => {
    const nest = (depth: number) => `${"(".repeat(depth)}1${")".repeat(depth)}`;
    expect(evaluate(nest(MAX_NESTING_DEPTH))).toBe(1);
    expectDomainError(nest(MAX_NESTING_DEPTH + 1), /nested too deeply \(maximum depth is 100\)/);
    expect(evaluate(`${"-".repeat(MAX_NESTING_DEPTH)}1`)).toBe(1);
    expectDomainError(`${"-".repeat(MAX_NESTING_DEPTH + 1)}1`, /nested too deeply/);
  });

  it("rejects a non-string argument", () => {
    expect(() => evaluate(42 as unknown as string)).toThrow(DomainError);
  });
});

type Op = "+" | "-" | "*" | "/" | "^";
type Tree =
  | { kind: "num"; value: number }
  | { kind: "neg"; operand: Tree }
  | { kind: "bin"; op: Op; left: Tree; right: Tree };

/** Evaluates a tree directly; `undefined` when it divides by zero or leaves the finite range. */
function reference(tree: Tree): number | undefined {
  if (tree.kind === "num") return tree.value;
  if (tree.kind === "neg") {
    const operand = reference(tree.operand);
    return operand === undefined ? undefined : -operand;
  }
  const left = reference(tree.left);
  const right = reference(tree.right);
  if (left === undefined || right === undefined) return undefined;
  if (tree.op === "/" && right === 0) return undefined;
  const result =
    tree.op === "+"
      ? left + right
      : tree.op === "-"
        ? left - right
        : tree.op === "*"
          ? left * right
          : tree.op === "/"
            ? left / right
            : left ** right;
  return Number.isFinite(result) ? result : undefined;
}

function precedence(tree: Tree): number {
  if (tree.kind === "num") return 5;
  if (tree.kind === "neg") return 3;
  return { "^": 4, "*": 2, "/": 2, "+": 1, "-": 1 }[tree.op];
}

interface PrintStyle {
  minimal: boolean;
  spaced: boolean;
  unicode: boolean;
}

/** Prints a tree either with only the parentheses the grammar needs, or fully parenthesized. */
function print(tree: Tree, style: PrintStyle): string {
  const child = (sub: Tree, wrap: boolean) => {
    const text = print(sub, style);
    return (style.minimal ? wrap : sub.kind !== "num") ? `(${text})` : text;
  };
  if (tree.kind === "num") return String(tree.value);
  if (tree.kind === "neg") return `-${child(tree.operand, precedence(tree.operand) < 3)}`;
  const p = precedence(tree);
  const [wrapLeft, wrapRight] =
    tree.op === "^"
      ? [precedence(tree.left) <= 4, precedence(tree.right) < 3]
      : [precedence(tree.left) < p, precedence(tree.right) <= p];
  const symbol =
    style.unicode && tree.op === "*" ? "×" : style.unicode && tree.op === "/" ? "÷" : tree.op;
  const sep = style.spaced ? " " : "";
  return `${child(tree.left, wrapLeft)}${sep}${symbol}${sep}${child(tree.right, wrapRight)}`;
}

const treeArbitrary: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "medium", maxDepth: 8, withCrossShrink: true },
    fc.integer({ min: 0, max: 9 }).map((value): Tree => ({ kind: "num", value })),
    tie("tree").map((operand): Tree => ({ kind: "neg", operand })),
    fc
      .record({
        op: fc.constantFrom<Op>("+", "-", "*", "/", "^"),
        left: tie("tree"),
        right: tie("tree"),
      })
      .map((parts): Tree => ({ kind: "bin", ...parts })),
  ),
})).tree;

const evaluableTree = treeArbitrary
  .map((tree) => ({ tree, expected: reference(tree) }))
  .filter((entry): entry is { tree: Tree; expected: number } => entry.expected !== undefined);

const normalizeZero = (n: number) => (n === 0 ? 0 : n);

describe("evaluate: properties", () => {
  it("evaluates minimally parenthesized random trees like the reference", () => {
    fc.assert(
      fc.property(
        evaluableTree,
        fc.boolean(),
        fc.boolean(),
        ({ tree, expected }, spaced, unicode) => {
          const source = print(tree, { minimal: true, spaced, unicode });
          expect(evaluate(source)).toBe(normalizeZero(expected));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("evaluates fully parenthesized random trees like the reference", () => {
    fc.assert(
      fc.property(evaluableTree, fc.boolean(), ({ tree, expected }, spaced) => {
        const source = print(tree, { minimal: false, spaced, unicode: false });
        expect(evaluate(source)).toBe(normalizeZero(expected));
      }),
      { numRuns: 300 },
    );
  });

  it("reports division by zero for trees that divide by zero", () => {
    const divByZero: Tree = {
      kind: "bin",
      op: "/",
      left: { kind: "num", value: 1 },
      right: { kind: "num", value: 0 },
    };
    fc.assert(
      fc.property(evaluableTree, ({ tree }) => {
        const wrapped: Tree = { kind: "bin", op: "+", left: tree, right: divByZero };
        const source = print(wrapped, { minimal: true, spaced: true, unicode: false });
        expect(() => evaluate(source)).toThrow(DomainError);
        expect(() => evaluate(source)).toThrow(/Division by zero/);
      }),
      { numRuns: 100 },
    );
  });

  it("is commutative for addition: a+b == b+a", () => {
    const operand = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 });
    fc.assert(
      fc.property(operand, operand, (a, b) => {
        const ab = evaluate(`${a}+${b}`);
        expect(ab).toBe(evaluate(`${b}+${a}`));
        expect(ab).toBe(normalizeZero(a + b));
      }),
    );
  });

  it("returns a finite number or throws a DomainError for any input", () => {
    const alphabet = fc.constantFrom(..."0123456789.eE+-*/^()×÷ x");
    const input = fc.oneof(
      fc.string({ unit: alphabet, maxLength: 40 }),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(input, (source) => {
        try {
          expect(Number.isFinite(evaluate(source))).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(DomainError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
