import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import {
  type ProcessDataBatchInput,
  type ProcessingResult,
  processDataBatch,
  processDataBatchInput,
  processingResultSchema,
} from "./batch.js";
import { DomainError } from "./domain-error.js";

/** Runs a batch and checks that the result validates against the exported schema. */
function run(input: ProcessDataBatchInput): ProcessingResult {
  const result = processDataBatch(input);
  expect(processingResultSchema.parse(result)).toEqual(result);
  return result;
}

describe("processDataBatch: statuses", () => {
  it("succeeds when every item is valid", () => {
    const result = run({
      items: [
        { id: "a", value: 1.5 },
        { id: "b", value: -2 },
        { id: "c", value: 3 },
      ],
      operation: "sum",
    });
    expect(result).toMatchObject({
      status: "success",
      processed: 3,
      failed: 0,
      total: 3,
      errors: [],
      warnings: [],
      results: [
        { id: "a", value: 1.5 },
        { id: "b", value: -0.5 },
        { id: "c", value: 2.5 },
      ],
    });
  });

  it("is partial when some items fail", () => {
    const result = run({
      items: [
        { id: "a", value: 4 },
        { id: "nan", value: Number.NaN },
        { id: "inf", value: Number.POSITIVE_INFINITY },
        { id: "neg", value: -1 },
      ],
      operation: "validate",
      fail_on_negative: true,
    });
    expect(result).toMatchObject({ status: "partial", processed: 1, failed: 3, total: 4 });
    expect(result.results).toEqual([{ id: "a", value: 4 }]);
    expect(result.errors).toEqual([
      { id: "nan", message: "Value NaN is not a finite number" },
      { id: "inf", message: "Value Infinity is not a finite number" },
      { id: "neg", message: "Value -1 is negative and fail_on_negative is set" },
    ]);
  });

  it("fails when every item fails", () => {
    const result = run({
      items: [
        { id: "a", value: -1 },
        { id: "b", value: Number.NEGATIVE_INFINITY },
      ],
      operation: "sum",
      fail_on_negative: true,
    });
    expect(result).toMatchObject({ status: "failed", processed: 0, failed: 2, total: 2 });
    expect(result.results).toEqual([]);
  });

  it("keeps negative values when fail_on_negative is off or absent", () => {
    for (const fail_on_negative of [false, undefined]) {
      const result = run({
        items: [{ id: "a", value: -1 }],
        operation: "validate",
        fail_on_negative,
      });
      expect(result.status).toBe("success");
      expect(result.results).toEqual([{ id: "a", value: -1 }]);
    }
  });

  it("reports when it started and how long it took", () => {
    const before = Date.now();
    const { timing } = run({ items: [{ id: "a", value: 1 }], operation: "sum" });
    expect(Date.parse(timing.started_at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(timing.started_at)).toBeLessThanOrEqual(Date.now());
    expect(timing.duration_ms).toBeGreaterThanOrEqual(0);
  });
});

describe("processDataBatch: operations", () => {
  it("normalizes by the largest absolute value", () => {
    const result = run({
      items: [
        { id: "a", value: 2 },
        { id: "b", value: -4 },
        { id: "c", value: 0 },
        { id: "d", value: 1 },
      ],
      operation: "normalize",
    });
    expect(result.results).toEqual([
      { id: "a", value: 0.5 },
      { id: "b", value: -1 },
      { id: "c", value: 0 },
      { id: "d", value: 0.25 },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it("normalizes all-zero values to zeros, with a warning", () => {
    const result = run({
      items: [
        { id: "a", value: 0 },
        { id: "b", value: -0 },
      ],
      operation: "normalize",
    });
    expect(result.status).toBe("success");
    expect(result.results).toEqual([
      { id: "a", value: 0 },
      { id: "b", value: 0 },
    ]);
    expect(result.warnings).toEqual([expect.stringMatching(/All values are zero/)]);
  });

  it("ignores failed items when normalizing and summing", () => {
    const items = [
      { id: "a", value: 10 },
      { id: "bad", value: Number.NaN },
      { id: "neg", value: -100 },
      { id: "b", value: 5 },
    ];
    const normalized = run({ items, operation: "normalize", fail_on_negative: true });
    expect(normalized.results).toEqual([
      { id: "a", value: 1 },
      { id: "b", value: 0.5 },
    ]);
    const sum = run({ items, operation: "sum", fail_on_negative: true });
    expect(sum.results).toEqual([
      { id: "a", value: 10 },
      { id: "b", value: 15 },
    ]);
  });

  it("warns once per duplicated id but still processes every item", () => {
    const result = run({
      items: [
        { id: "x", value: 1 },
        { id: "y", value: 2 },
        { id: "x", value: 3 },
        { id: "x", value: 4 },
        { id: "y", value: 5 },
      ],
      operation: "validate",
    });
    expect(result.processed).toBe(5);
    expect(result.warnings).toEqual([
      'Duplicate id "x" appears 3 times',
      'Duplicate id "y" appears 2 times',
    ]);
  });

  it("throws a DomainError when the sum overflows", () => {
    const items = [
      { id: "a", value: Number.MAX_VALUE },
      { id: "b", value: Number.MAX_VALUE },
    ];
    expect(() => processDataBatch({ items, operation: "sum" })).toThrow(DomainError);
  });

  it("sums like a plain reduce, normalizes into [-1, 1] and validates only valid items", () => {
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY) },
    );
    const items = fc.array(fc.record({ id: fc.string({ minLength: 1, maxLength: 64 }), value }), {
      minLength: 1,
      maxLength: 50,
    });
    fc.assert(
      fc.property(items, fc.boolean(), (batch, failOnNegative) => {
        const isValid = (v: number) => Number.isFinite(v) && !(failOnNegative && v < 0);
        const valid = batch.filter((item) => isValid(item.value));
        const common = { items: batch, fail_on_negative: failOnNegative };
        const sum = run({ ...common, operation: "sum" });
        expect(sum.processed + sum.failed).toBe(batch.length);
        expect(sum.processed).toBe(valid.length);
        expect(sum.status).toBe(
          valid.length === batch.length ? "success" : valid.length === 0 ? "failed" : "partial",
        );
        expect(sum.results.map((r) => r.id)).toEqual(valid.map((item) => item.id));
        let running = 0;
        valid.forEach((item, i) => {
          running += item.value;
          expect(sum.results[i]?.value).toBeCloseTo(running, 6);
        });
        const normalized = run({ ...common, operation: "normalize" });
        expect(normalized.results.map((r) => r.id)).toEqual(valid.map((item) => item.id));
        for (const r of normalized.results) expect(Math.abs(r.value)).toBeLessThanOrEqual(1);
        const validated = run({ ...common, operation: "validate" });
        expect(validated.results).toEqual(valid);
      }),
      { numRuns: 200 },
    );
  });
});

describe("processDataBatch: validation", () => {
  const ok = { id: "a", value: 1 };
  it.each([
    [{ items: [], operation: "sum" }, /items: must contain at least 1 item/],
    [{ items: Array(1001).fill(ok), operation: "sum" }, /items: must contain at most 1000 items/],
    [{ items: [{ id: "", value: 1 }], operation: "sum" }, /items\.0\.id: must not be empty/],
    [
      { items: [{ id: "x".repeat(65), value: 1 }], operation: "sum" },
      /items\.0\.id: must be at most 64/,
    ],
    [
      { items: [ok, { id: "b", value: "2" }], operation: "sum" },
      /items\.1\.value: must be a number/,
    ],
    [{ items: [{ id: "b" }], operation: "sum" }, /items\.0\.value/],
    [{ items: [ok], operation: "average" }, /operation/],
    [{ items: [ok] }, /operation: is required/],
    [{ items: [ok], operation: "sum", fail_on_negative: "yes" }, /fail_on_negative/],
  ])("rejects %#", (input, message) => {
    const call = () => processDataBatch(input as unknown as ProcessDataBatchInput);
    expect(call).toThrow(DomainError);
    expect(call).toThrow(message);
  });

  it("accepts the bounds themselves", () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({
      id: `${i}`.padStart(64, "0"),
      value: i,
    }));
    const { results } = run({ items, operation: "sum" });
    expect(results).toHaveLength(1000);
    expect(results[999]).toEqual({ id: items[999]?.id, value: 499500 });
  });

  it("describes value as a number in JSON Schema", () => {
    const json = z.toJSONSchema(processDataBatchInput, { io: "input", unrepresentable: "throw" });
    const item = (
      json as unknown as {
        properties: { items: { items: { properties: Record<string, unknown> } } };
      }
    ).properties.items.items.properties;
    expect(item.value).toMatchObject({ type: "number" });
    expect(item.id).toMatchObject({ type: "string", minLength: 1, maxLength: 64 });
  });

  it("has a result schema that converts to JSON Schema", () => {
    expect(() =>
      z.toJSONSchema(processingResultSchema, { io: "output", unrepresentable: "throw" }),
    ).not.toThrow();
  });
});
