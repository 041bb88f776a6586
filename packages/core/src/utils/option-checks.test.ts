import { describe, expect, it } from "vitest";
import { createOptionChecks, describeValue, MAX_TIMER_MS } from "./option-checks.js";

const check = createOptionChecks("@acme/pkg");

describe("createOptionChecks", () => {
  it("names the package and the factory in every error", () => {
    expect(check.error("thing", "went wrong").message).toBe("@acme/pkg: thing(): went wrong");
    expect(() => check.object("thing", "x" as never)).toThrow(
      /^@acme\/pkg: thing\(\): options must be an object$/,
    );
  });

  it("object: undefined is {}, a plain object is itself, arrays and null are refused", () => {
    expect(check.object("f", undefined)).toEqual({});
    const opts = { a: 1 };
    expect(check.object("f", opts)).toBe(opts);
    expect(() => check.object("f", [] as never)).toThrow(/options must be an object/);
    expect(() => check.object("f", null as never)).toThrow(/options must be an object/);
  });

  it.each([
    [0, /n must be a positive integer, got 0/],
    [1.5, /got 1.5/],
    ["3", /got "3"/],
    [Number.NaN, /got NaN/],
    [null, /got null/],
  ])("positiveInteger refuses %s", (value, message) => {
    expect(() => check.positiveInteger("f", "n", value)).toThrow(message);
  });

  it("positiveInteger accepts undefined and integers up to max", () => {
    expect(() => check.positiveInteger("f", "n", undefined)).not.toThrow();
    expect(() => check.positiveInteger("f", "n", 10, 10)).not.toThrow();
    expect(() => check.positiveInteger("f", "n", 11, 10)).toThrow(/up to 10, got 11/);
  });

  it("nonNegativeNumber and duration", () => {
    expect(() => check.nonNegativeNumber("f", "n", 0)).not.toThrow();
    expect(() => check.nonNegativeNumber("f", "n", -1)).toThrow(/finite number >= 0, got -1/);
    expect(() => check.nonNegativeNumber("f", "n", Number.POSITIVE_INFINITY)).toThrow();
    expect(() => check.duration("f", "ms", Number.POSITIVE_INFINITY)).not.toThrow();
    expect(() => check.duration("f", "ms", 0.5)).not.toThrow();
    expect(() => check.duration("f", "ms", 0)).toThrow(/positive number of milliseconds/);
    expect(() => check.duration("f", "ms", MAX_TIMER_MS + 1)).toThrow(/at most 2147483647/);
  });

  it("string, function, methods and record", () => {
    expect(() => check.string("f", "s", "")).not.toThrow();
    expect(() => check.string("f", "s", "", { nonEmpty: true })).toThrow(
      /s must be a non-empty string/,
    );
    expect(() => check.string("f", "s", 1)).toThrow(/s must be a string/);
    expect(() => check.function("f", "cb", "x")).toThrow(/cb must be a function, got "x"/);
    expect(() => check.methods("f", "logger", console, ["warn", "info"])).not.toThrow();
    expect(() => check.methods("f", "logger", {}, ["warn", "info"])).toThrow(
      /logger must have warn\(\) and info\(\)/,
    );
    const seen: string[] = [];
    check.record("f", "tools", { a: 1, "b c": 2 }, (path) => seen.push(path));
    expect(seen).toEqual(['tools["a"]', 'tools["b c"]']);
    expect(() => check.record("f", "tools", [1], () => {})).toThrow(
      /tools must be an object keyed by name/,
    );
  });

  it("describeValue keeps messages short and readable", () => {
    expect(describeValue("x".repeat(80))).toBe(JSON.stringify("x".repeat(50)));
    expect(describeValue(undefined)).toBe("undefined");
    expect(describeValue([1])).toBe("an array");
    expect(describeValue({})).toBe("an object");
    expect(describeValue(() => 1)).toBe("a function");
  });
});
