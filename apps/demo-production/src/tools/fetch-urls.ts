import { type McpForgeApp, ToolError } from "@mcpforge/core";
import { validateUrl } from "@mcpforge/middleware/validation";
import * as z from "zod";
import { mapWithConcurrency } from "./parallel.js";

const MAX_BODY_BYTES = 256 * 1024;
const FETCH_TIMEOUT_MS = 5_000;

/** Reads at most `max` bytes of a response body, then stops the download. */
async function readCapped(
  res: Response,
  max: number,
): Promise<{ bytes: number; text: string; cut: boolean }> {
  const reader = res.body?.getReader();
  if (reader === undefined) return { bytes: 0, text: "", cut: false };
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes, text: Buffer.concat(chunks).toString("utf8"), cut: false };
    bytes += value.byteLength;
    if (bytes > max) {
      await reader.cancel();
      return { bytes: max, text: Buffer.concat(chunks).toString("utf8"), cut: true };
    }
    chunks.push(value);
  }
}

/**
 * The guide's parallel fetches: `fetch_urls` fetches up to 20 URLs with at most
 * `maxConcurrent` requests at once and reports each URL's outcome on its own. URLs must pass
 * the SSRF guard (`validateUrl`: public http(s) addresses only), unless their origin is listed
 * in `allowedOrigins` (the `FETCH_ALLOWED_ORIGINS` setting). Redirects are refused.
 *
 * @example
 * import { createServer } from "@mcpforge/core";
 * const app = createServer({ name: "x", version: "1.0.0" });
 * registerFetchUrls(app, { allowedOrigins: ["http://127.0.0.1:8080"] });
 */
export function registerFetchUrls(
  app: McpForgeApp,
  options: { allowedOrigins: readonly string[] },
): void {
  const allowed = new Set(options.allowedOrigins.map((o) => new URL(o).origin));
  app.tool(
    "fetch_urls",
    {
      description:
        "Fetches several web pages in parallel (at most maxConcurrent at once) and reports, per URL, " +
        "its status, size and the start of its text; one failing URL does not fail the others.",
      tags: ["web"],
      input: {
        urls: z.array(z.url().max(2_000)).min(1).max(20).describe("http(s) URLs"),
        maxConcurrent: z.number().int().min(1).max(10).default(3).describe("Requests at once"),
      },
      output: z.object({
        status: z.enum(["success", "partial", "failed"]),
        results: z.array(
          z.object({
            url: z.string(),
            ok: z.boolean(),
            status: z.number().optional(),
            bytes: z.number().optional(),
            truncated: z.boolean().optional(),
            preview: z.string().optional(),
            error: z.string().optional(),
          }),
        ),
      }),
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ urls, maxConcurrent }, ctx) => {
      const outcomes = await mapWithConcurrency(urls, maxConcurrent, async (url) => {
        const target = allowed.has(new URL(url).origin) ? new URL(url) : await validateUrl(url);
        const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]);
        const res = await fetch(target, { redirect: "error", signal });
        const body = await readCapped(res, MAX_BODY_BYTES);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return {
          status: res.status,
          bytes: body.bytes,
          truncated: body.cut,
          preview: body.text.slice(0, 200),
        };
      });
      if (ctx.signal.aborted) throw new ToolError("Cancelled");
      const results = outcomes.map((o, i) => {
        const url = urls[i] as string;
        if (o.ok) return { url, ok: true, ...o.value };
        const error = o.error instanceof Error ? o.error.message : String(o.error);
        return { url, ok: false, error: error.slice(0, 300) };
      });
      const ok = results.filter((r) => r.ok).length;
      type Status = "success" | "partial" | "failed";
      const status: Status = ok === results.length ? "success" : ok === 0 ? "failed" : "partial";
      return { status, results };
    },
  );
}
