import { type McpForgeApp, ToolError } from "@mcpforge/core";
import * as z from "zod";

const CHUNK_CHARS = 64 * 1024;
const MAX_DISTINCT_WORDS = 10_000;

/**
 * The guide's memory monitoring: `analyze_text` processes a large input in 64 KiB chunks,
 * samples the process's memory between chunks, stops with a tool error when the resident set
 * passes `memoryLimitBytes`, and reports what it measured (heap before, peak, after).
 *
 * @example
 * import { createServer } from "@mcpforge/core";
 * const app = createServer({ name: "x", version: "1.0.0" });
 * registerAnalyzeText(app, { maxInputChars: 4 * 1024 * 1024, memoryLimitBytes: 512 * 1024 * 1024 });
 */
export function registerAnalyzeText(
  app: McpForgeApp,
  options: { maxInputChars: number; memoryLimitBytes: number },
): void {
  app.tool(
    "analyze_text",
    {
      description:
        "Counts lines, words and the most frequent words of a large text, chunk by chunk, " +
        "and reports the server's memory use while doing it.",
      input: {
        text: z.string().max(options.maxInputChars).describe("The text to analyze"),
        top: z.number().int().min(1).max(50).default(10).describe("How many frequent words"),
      },
      output: z.object({
        characters: z.number(),
        lines: z.number(),
        words: z.number(),
        topWords: z.array(z.object({ word: z.string(), count: z.number() })),
        chunks: z.number(),
        memory: z.object({
          heapUsedBeforeBytes: z.number(),
          heapUsedPeakBytes: z.number(),
          heapUsedAfterBytes: z.number(),
          rssPeakBytes: z.number(),
          limitBytes: z.number(),
        }),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ text, top }, ctx) => {
      const before = process.memoryUsage();
      let heapPeak = before.heapUsed;
      let rssPeak = before.rss;
      const counts = new Map<string, number>();
      let words = 0;
      let lines = text.length === 0 ? 0 : 1;
      let carry = "";
      let chunks = 0;
      for (let start = 0; start < text.length; start += CHUNK_CHARS) {
        ctx.signal.throwIfAborted();
        const chunk = carry + text.slice(start, start + CHUNK_CHARS);
        // A word cut at the chunk's end is carried into the next chunk.
        const cut = /[\p{L}\p{N}']+$/u.exec(chunk);
        const last = start + CHUNK_CHARS >= text.length;
        carry = !last && cut ? cut[0] : "";
        const body = carry ? chunk.slice(0, -carry.length) : chunk;
        for (const char of body) if (char === "\n") lines++;
        for (const match of body.toLowerCase().matchAll(/[\p{L}\p{N}']+/gu)) {
          words++;
          const word = match[0];
          const seen = counts.get(word);
          if (seen !== undefined) counts.set(word, seen + 1);
          else if (counts.size < MAX_DISTINCT_WORDS) counts.set(word, 1);
        }
        chunks++;
        const now = process.memoryUsage();
        heapPeak = Math.max(heapPeak, now.heapUsed);
        rssPeak = Math.max(rssPeak, now.rss);
        if (now.rss > options.memoryLimitBytes) {
          throw new ToolError(
            `Stopped after ${chunks} chunks: the server uses ${Math.round(now.rss / 2 ** 20)} MiB, over its ${Math.round(options.memoryLimitBytes / 2 ** 20)} MiB limit`,
          );
        }
        if (chunks % 16 === 0) {
          await ctx.progress(Math.min(start + CHUNK_CHARS, text.length), text.length);
          await new Promise((resolve) => setImmediate(resolve)); // let other requests run
        }
      }
      const topWords = [...counts]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, top)
        .map(([word, count]) => ({ word, count }));
      return {
        characters: text.length,
        lines,
        words,
        topWords,
        chunks,
        memory: {
          heapUsedBeforeBytes: before.heapUsed,
          heapUsedPeakBytes: heapPeak,
          heapUsedAfterBytes: process.memoryUsage().heapUsed,
          rssPeakBytes: rssPeak,
          limitBytes: options.memoryLimitBytes,
        },
      };
    },
  );
}
