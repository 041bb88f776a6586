import * as z from "zod";
import { DomainError } from "./domain-error.js";
import { parseInput } from "./parse-input.js";

/**
 * Any JavaScript number, including NaN and ±Infinity, described as `{ "type": "number" }` in
 * JSON Schema. `z.number()` rejects non-finite numbers, which would fail a whole batch for one
 * bad item (JSON's `1e400` parses to Infinity); here such items fail individually instead.
 * The cast only restores the static type: the runtime check guarantees a number.
 */
const anyNumber = z
  .unknown()
  .refine((value) => typeof value === "number", "must be a number")
  .meta({ type: "number" }) as unknown as z.ZodType<number, number>;

/** Input of {@link processDataBatch}. */
export const processDataBatchInput = z.object({
  items: z
    .array(
      z.object({
        id: z
          .string()
          .min(1, "must not be empty")
          .max(64, "must be at most 64 characters")
          .describe("Identifier of the item, 1 to 64 characters"),
        value: anyNumber.describe("The item's value; a non-finite value fails this item only"),
      }),
    )
    .min(1, "must contain at least 1 item")
    .max(1000, "must contain at most 1000 items")
    .describe("The items to process, 1 to 1000"),
  operation: z
    .enum(["sum", "normalize", "validate"])
    .describe(
      "sum: each valid item's running total (the last result is the grand total); normalize: " +
        "each value divided by the largest absolute value; validate: the valid items unchanged",
    ),
  fail_on_negative: z
    .boolean()
    .optional()
    .describe("Fail items whose value is negative (default false)"),
});

/** What the caller passes to {@link processDataBatch}. */
export type ProcessDataBatchInput = z.input<typeof processDataBatchInput>;

/** The outcome of {@link processDataBatch}. */
export const processingResultSchema = z.object({
  status: z
    .enum(["success", "partial", "failed"])
    .describe("success: no item failed; partial: some failed; failed: all failed"),
  processed: z.number().int().nonnegative().describe("Number of items processed"),
  failed: z.number().int().nonnegative().describe("Number of items that failed"),
  total: z.number().int().nonnegative().describe("Number of items received"),
  errors: z
    .array(z.object({ id: z.string(), message: z.string() }))
    .describe("Why each failed item failed"),
  warnings: z.array(z.string()).describe("Problems that did not fail any item"),
  results: z
    .array(z.object({ id: z.string(), value: z.number() }))
    .describe("The operation's output, one entry per valid item in input order"),
  timing: z
    .object({
      started_at: z.iso.datetime().describe("When processing started (ISO 8601)"),
      duration_ms: z.number().nonnegative().describe("How long processing took"),
    })
    .describe("When and how long the batch ran"),
});

/** The outcome of {@link processDataBatch}, as described by {@link processingResultSchema}. */
export type ProcessingResult = z.infer<typeof processingResultSchema>;

type Item = { id: string; value: number };

function duplicateWarnings(items: readonly Item[]): string[] {
  const counts = new Map<string, number>();
  for (const { id } of items) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts]
    .filter(([, count]) => count > 1)
    .map(([id, count]) => `Duplicate id ${JSON.stringify(id)} appears ${count} times`);
}

function run(operation: ProcessDataBatchInput["operation"], valid: Item[], warnings: string[]) {
  if (operation === "validate") return valid.map(({ id, value }) => ({ id, value }));
  if (valid.length === 0) return [];
  if (operation === "sum") {
    let total = 0;
    return valid.map(({ id, value }) => {
      total += value;
      if (!Number.isFinite(total)) {
        throw new DomainError(
          `The running total overflows at item ${JSON.stringify(id)}: it is too large to represent`,
        );
      }
      return { id, value: total === 0 ? 0 : total };
    });
  }
  const maxAbs = Math.max(...valid.map((item) => Math.abs(item.value)));
  if (maxAbs === 0) {
    warnings.push("All values are zero, so they cannot be normalized; every result is 0");
    return valid.map(({ id }) => ({ id, value: 0 }));
  }
  return valid.map(({ id, value }) => {
    const normalized = value / maxAbs;
    return { id, value: normalized === 0 ? 0 : normalized };
  });
}

/**
 * Sums, normalizes or validates a batch of `{ id, value }` items; items with a non-finite (or,
 * with `fail_on_negative`, negative) value fail individually and are reported in `errors`.
 *
 * @example
 * processDataBatch({ items: [{ id: "a", value: 2 }, { id: "b", value: -4 }], operation: "normalize" });
 * // { status: "success", processed: 2, failed: 0, total: 2, errors: [], warnings: [],
 * //   results: [{ id: "a", value: 0.5 }, { id: "b", value: -1 }], timing: { ... } }
 */
export function processDataBatch(input: ProcessDataBatchInput): ProcessingResult {
  const startedAt = new Date();
  const started = performance.now();
  const { items, operation, fail_on_negative = false } = parseInput(processDataBatchInput, input);

  const errors: ProcessingResult["errors"] = [];
  const warnings = duplicateWarnings(items);
  const valid: Item[] = [];
  for (const { id, value } of items) {
    if (!Number.isFinite(value)) {
      errors.push({ id, message: `Value ${String(value)} is not a finite number` });
    } else if (fail_on_negative && value < 0) {
      errors.push({ id, message: `Value ${value} is negative and fail_on_negative is set` });
    } else {
      valid.push({ id, value });
    }
  }
  const results = run(operation, valid, warnings);

  return {
    status: errors.length === 0 ? "success" : valid.length === 0 ? "failed" : "partial",
    processed: valid.length,
    failed: errors.length,
    total: items.length,
    errors,
    warnings,
    results,
    timing: {
      started_at: startedAt.toISOString(),
      duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
    },
  };
}
