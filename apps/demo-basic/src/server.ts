import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { memoryStore } from "@mcpforge/cache/memory";
import { responseCache } from "@mcpforge/cache/middleware";
import {
  createServer,
  type McpForgeApp,
  McpForgeError,
  resolveRealPathWithin,
  ToolError,
} from "@mcpforge/core";
import * as z from "zod";
import { processDataBatch, processDataBatchInput, processingResultSchema } from "./lib/batch.js";
import { evaluate } from "./lib/calculator.js";
import { calculateCompoundInterest, compoundInterestInput } from "./lib/compound-interest.js";
import { formatCurrency } from "./lib/currency.js";
import { DomainError } from "./lib/domain-error.js";
import { MAX_PRIME_INDEX, nthPrime } from "./lib/primes.js";
import { advancedSearch, advancedSearchInput } from "./lib/search.js";

/** The folder `read_file_safe` is confined to. */
export const SANDBOX = fileURLToPath(new URL("../sandbox/", import.meta.url));
const MAX_FILE_BYTES = 1024 * 1024;

const PROFILES: Record<string, { name: string; role: string; joined: string }> = {
  ada_l: { name: "Ada Lovelace", role: "admin", joined: "2024-01-10" },
  alan_t: { name: "Alan Turing", role: "editor", joined: "2024-03-02" },
  grace_h: { name: "Grace Hopper", role: "viewer", joined: "2025-06-21" },
};

const DATE_RANGE = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

/** Whether `day` (YYYY-MM-DD) is a real calendar date: `Date.parse` accepts e.g. 2025-02-30. */
function isCalendarDate(day: string): boolean {
  const time = Date.parse(day);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === day;
}

/**
 * Builds the demo server: the reference guide's examples as one MCP Forge app.
 *
 * @example
 * const app = createDemoServer({ sandbox: "/tmp/files" });
 * await app.run();
 */
export function createDemoServer(options: { sandbox?: string } = {}): McpForgeApp {
  const sandbox = options.sandbox ?? SANDBOX;
  const app = createServer({
    name: "demo-basic",
    version: "0.1.0",
    instructions:
      "Demo tools: greetings, finance helpers, search, safe file reading, a calculator.",
  });

  // Domain errors are meant for the user: show them as tool errors instead of masking them.
  app.use({
    name: "domain-errors",
    onCallTool: async (_ctx, next) => {
      try {
        return await next();
      } catch (err) {
        if (err instanceof DomainError) throw new ToolError(err.message);
        throw err;
      }
    },
  });

  // Cache the expensive prime computations (tool and resource) in memory for ten minutes.
  // A cached answer carries _meta["dev.mcpforge/cache"] = { hit: true, ageMs }.
  app.use(
    responseCache({
      store: memoryStore({ maxEntries: 1000, maxBytes: 4 * 1024 * 1024 }),
      ttlMs: 10 * 60_000,
      tools: ["nth_prime"],
      resources: ["data://primes/{n}"],
      prompts: false,
      lists: false,
    }),
  );

  app.tool(
    "greet",
    {
      title: "Greet",
      description: "Greet someone by name.",
      input: {
        name: z.string().min(1).max(100).describe("Who to greet"),
        greeting: z.string().min(1).max(40).default("Hello").describe("The greeting word"),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ name, greeting }) => `${greeting}, ${name}!`,
  );

  app.tool(
    "calculate_compound_interest",
    {
      description: "Compound interest on a principal over a number of years.",
      input: compoundInterestInput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) => calculateCompoundInterest(args),
  );

  app.tool(
    "format_currency",
    {
      description: "Format an amount in an ISO 4217 currency for a locale (uses Intl).",
      input: {
        amount: z.number().min(-1e15).max(1e15).describe("The amount, at most ±10^15"),
        currency: z.string().length(3).describe("ISO 4217 code, e.g. EUR"),
        locale: z.string().min(2).max(35).default("en-US").describe("BCP 47 locale"),
      },
      output: z.object({ formatted: z.string(), currency: z.string(), locale: z.string() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ amount, currency, locale }) => ({
      formatted: formatCurrency(amount, currency, locale),
      currency: currency.toUpperCase(),
      locale,
    }),
  );

  app.tool(
    "advanced_search",
    {
      description: "Search the bundled document set with filters.",
      input: advancedSearchInput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) => advancedSearch(args),
  );

  app.tool(
    "read_file_safe",
    {
      description: "Read a UTF-8 text file from the demo sandbox folder (max 1 MB).",
      input: { path: z.string().min(1).max(500).describe("Path relative to the sandbox") },
      output: z.object({ path: z.string(), size: z.number(), content: z.string() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ path }) => {
      let real: string;
      try {
        real = await resolveRealPathWithin(sandbox, path);
      } catch (err) {
        throw new ToolError(`Refused: ${(err as Error).message}`);
      }
      const info = await stat(real).catch(() => undefined);
      if (!info?.isFile()) throw new ToolError(`Not found: ${path}`);
      if (info.size > MAX_FILE_BYTES) {
        throw new ToolError(`File too large: ${info.size} bytes (limit ${MAX_FILE_BYTES})`);
      }
      return { path, size: info.size, content: await readFile(real, "utf8") };
    },
  );

  app.tool(
    "process_data_batch",
    {
      description: "Process a batch of numeric items; reports success, partial or failed.",
      input: processDataBatchInput,
      output: processingResultSchema,
      annotations: { readOnlyHint: true, idempotentHint: true },
    },
    (args) => processDataBatch(args),
  );

  app.tool(
    "calculate",
    {
      description: "Evaluate an arithmetic expression: + - × ÷ ^, parentheses, unary minus.",
      input: { expression: z.string().min(1).max(1000).describe("e.g. 2 * (3 + 4) ^ 2") },
      output: z.object({ expression: z.string(), result: z.number() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ expression }) => ({ expression, result: evaluate(expression) }),
  );

  app.tool(
    "nth_prime",
    {
      title: "Nth prime",
      description:
        'The n-th prime number (1 → 2, 2 → 3, …), computed the slow way. Answers are cached for 10 minutes: a cached answer has _meta["dev.mcpforge/cache"].hit = true.',
      input: {
        n: z.number().int().min(1).max(MAX_PRIME_INDEX).describe("Which prime, from 1 to 100000"),
      },
      output: z.object({ n: z.number(), prime: z.number(), computeMs: z.number() }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ n }) => {
      const started = performance.now();
      const prime = nthPrime(n);
      return { n, prime, computeMs: Math.round((performance.now() - started) * 100) / 100 };
    },
  );

  app.resource(
    "data://primes/{n}",
    {
      name: "nth_prime",
      description: "The n-th prime as JSON (n from 1 to 100000); cached like the nth_prime tool.",
      mimeType: "application/json",
      params: { n: z.coerce.number().int().min(1).max(MAX_PRIME_INDEX) },
    },
    ({ n }) => ({ n, prime: nthPrime(n) }),
  );

  app.resource(
    "data://user_profiles/{user_id}",
    {
      name: "user_profile",
      description: "A user's profile by id.",
      mimeType: "application/json",
      params: { user_id: z.string().regex(/^[a-z0-9_]{3,32}$/, "use 3-32 of a-z 0-9 _") },
      complete: { user_id: (v) => Object.keys(PROFILES).filter((id) => id.startsWith(v)) },
    },
    ({ user_id }, _ctx, uri) => {
      const profile = Object.hasOwn(PROFILES, user_id) ? PROFILES[user_id] : undefined;
      if (!profile) {
        throw new McpForgeError("resource_not_found", `No user ${user_id}`, { data: { uri } });
      }
      return { user_id, ...profile };
    },
  );

  app.resource(
    "data://reports/{report_type}/{date_range}",
    {
      name: "report",
      description: "A report by type over a date range (YYYY-MM-DD..YYYY-MM-DD).",
      mimeType: "application/json",
      params: {
        report_type: z.enum(["sales", "traffic", "inventory"]),
        date_range: z
          .string()
          .regex(DATE_RANGE, "expected YYYY-MM-DD..YYYY-MM-DD")
          .refine((r) => {
            const [, from, to] = DATE_RANGE.exec(r) ?? [];
            return !!from && !!to && from <= to && isCalendarDate(from) && isCalendarDate(to);
          }, "the range must be two real dates, the first not after the second"),
      },
      complete: {
        report_type: (v) => ["sales", "traffic", "inventory"].filter((t) => t.startsWith(v)),
      },
    },
    ({ report_type, date_range }) => {
      const [, from, to] = DATE_RANGE.exec(date_range) as RegExpExecArray;
      const days =
        Math.round((Date.parse(to as string) - Date.parse(from as string)) / 86_400_000) + 1;
      return { report_type, from, to, days, total: days * (report_type.length * 17) };
    },
  );

  app.prompt(
    "code_review",
    {
      description: "Ask for a focused review of a piece of code.",
      args: {
        code: z.string().min(1).describe("The code to review"),
        language: z.string().optional().describe("Programming language"),
        focus: z.string().optional().describe("What to focus on: security, performance, style"),
      },
      complete: {
        language: (v) =>
          ["go", "javascript", "python", "rust", "typescript"].filter((l) => l.startsWith(v)),
        focus: (v) => ["security", "performance", "style"].filter((f) => f.startsWith(v)),
      },
    },
    ({ code, language, focus }) =>
      `Please review this ${language ?? "code"}${focus ? ` with a focus on ${focus}` : ""}:\n\n${code}`,
  );

  return app;
}

/** `mcpforge run src/server.ts` (and `check`, `install`) call this factory to get the app. */
export default createDemoServer;
