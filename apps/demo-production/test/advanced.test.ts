// The guide's advanced patterns: parallel fetches under a concurrency limit (against a local
// HTTP server this test starts) and memory monitoring of a large input.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, startIdp, startServer, testEnv, testSchema, textOf } from "./helpers.js";

/** A slow local web server that records how many requests it serves at once. */
async function slowSite(): Promise<{
  server: Server;
  origin: string;
  peak(): number;
  served(): number;
}> {
  let active = 0;
  let peak = 0;
  let served = 0;
  const server = createServer((req, res) => {
    active++;
    served++;
    peak = Math.max(peak, active);
    setTimeout(() => {
      active--;
      if (req.url === "/broken") {
        res.writeHead(500).end("broken");
      } else if (req.url === "/redirect") {
        res.writeHead(302, { location: "http://169.254.169.254/" }).end();
      } else if (req.url === "/big") {
        res.writeHead(200, { "content-type": "text/plain" }).end("z".repeat(1024 * 1024));
      } else {
        res.writeHead(200, { "content-type": "text/plain" }).end(`page ${req.url}`);
      }
    }, 100);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { server, origin: `http://127.0.0.1:${port}`, peak: () => peak, served: () => served };
}

describe("advanced patterns", () => {
  let db: Awaited<ReturnType<typeof testSchema>>;
  let idp: Awaited<ReturnType<typeof startIdp>>;
  let site: Awaited<ReturnType<typeof slowSite>>;
  let server: Awaited<ReturnType<typeof startServer>>;
  let client: Client;

  beforeAll(async () => {
    db = await testSchema();
    idp = await startIdp();
    site = await slowSite();
    server = await startServer(
      testEnv(db.schema, idp, {
        FETCH_ALLOWED_ORIGINS: site.origin,
        MAX_REQUEST_SIZE: String(8 * 1024 * 1024),
      }),
    );
    client = await connect(server.url, await idp.token(["web:fetch"]));
  });

  afterAll(async () => {
    await client?.close();
    await server?.close();
    site?.server.close();
    idp?.server.close();
    await db?.drop();
  });

  it("fetches in parallel, never more than maxConcurrent at once, with partial failures", async () => {
    const urls = Array.from({ length: 9 }, (_, i) => `${site.origin}/page-${i}`);
    urls.push(`${site.origin}/broken`, `${site.origin}/redirect`, `${site.origin}/big`);
    urls.push("http://127.0.0.1:1/not-allowed"); // loopback, not in FETCH_ALLOWED_ORIGINS
    const result = (await client.callTool({
      name: "fetch_urls",
      arguments: { urls, maxConcurrent: 3 },
    })) as CallToolResult;
    const out = result.structuredContent as {
      status: string;
      results: Array<{
        url: string;
        ok: boolean;
        preview?: string;
        error?: string;
        truncated?: boolean;
        bytes?: number;
      }>;
    };
    expect(out.status).toBe("partial");
    expect(site.peak()).toBe(3);
    expect(site.served()).toBe(12); // the refused URL never left the server
    expect(out.results.map((r) => r.url)).toEqual(urls);
    expect(out.results.slice(0, 9).every((r, i) => r.ok && r.preview === `page /page-${i}`)).toBe(
      true,
    );
    expect(out.results[9]).toMatchObject({ ok: false, error: "HTTP 500" });
    expect(out.results[10]).toMatchObject({ ok: false });
    expect(out.results[11]).toMatchObject({ ok: true, truncated: true, bytes: 256 * 1024 });
    expect(out.results[12]?.ok).toBe(false);
    expect(out.results[12]?.error).toMatch(/loopback|not allowed|private|special/i);
  });

  it("refuses loopback origins that FETCH_ALLOWED_ORIGINS does not list", async () => {
    const serial = await slowSite();
    try {
      const urls = Array.from({ length: 4 }, (_, i) => `${serial.origin}/serial-${i}`);
      const result = await client.callTool({
        name: "fetch_urls",
        arguments: { urls, maxConcurrent: 1 },
      });
      // The origin is not allowed: only FETCH_ALLOWED_ORIGINS may be loopback.
      expect((result.structuredContent as { status: string }).status).toBe("failed");
      expect(serial.served()).toBe(0);
    } finally {
      serial.server.close();
    }
  });

  it("needs the web:fetch scope", async () => {
    const other = await connect(server.url, await idp.token(["db:read"]));
    try {
      const refused = await other
        .callTool({ name: "fetch_urls", arguments: { urls: [`${site.origin}/x`] } })
        .then(
          () => undefined,
          (err: { code?: number }) => err,
        );
      expect(refused?.code).toBe(-32003);
    } finally {
      await other.close();
    }
  });

  it("analyzes a large input chunk by chunk and reports memory use", async () => {
    const line = "the quick brown fox jumps over the lazy dog\n";
    const text = line.repeat(Math.ceil((3 * 1024 * 1024) / line.length)); // ~3 MiB
    const result = (await client.callTool({
      name: "analyze_text",
      arguments: { text, top: 3 },
    })) as CallToolResult;
    const out = result.structuredContent as {
      characters: number;
      lines: number;
      words: number;
      topWords: Array<{ word: string; count: number }>;
      chunks: number;
      memory: Record<string, number>;
    };
    const copies = text.length / line.length;
    expect(out.characters).toBe(text.length);
    expect(out.words).toBe(copies * 9);
    expect(out.lines).toBe(copies + 1);
    expect(out.topWords[0]).toEqual({ word: "the", count: copies * 2 });
    expect(out.chunks).toBe(Math.ceil(text.length / (64 * 1024)));
    const { heapUsedBeforeBytes = 0, heapUsedPeakBytes = 0, rssPeakBytes = 0 } = out.memory;
    expect(heapUsedPeakBytes).toBeGreaterThanOrEqual(heapUsedBeforeBytes);
    // Chunked processing: the heap grows by far less than a copy per word would need.
    expect(heapUsedPeakBytes - heapUsedBeforeBytes).toBeLessThan(256 * 1024 * 1024);
    expect(rssPeakBytes).toBeGreaterThan(0);
  });

  it("refuses inputs over MAX_REQUEST_SIZE before the handler runs", async () => {
    const text = "x".repeat(8 * 1024 * 1024 + 1);
    const refused = await client.callTool({ name: "analyze_text", arguments: { text } }).then(
      (r) => r as CallToolResult,
      (err: { code?: number }) => err,
    );
    // Over the HTTP body limit (413) or the validation limit (-32602): never processed.
    expect(JSON.stringify(refused)).toMatch(/413|-32602|too large|over the limit/i);
  });

  it("stops when the process uses more memory than MEMORY_LIMIT_MB", async () => {
    const small = await startServer(
      testEnv(db.schema, idp, { MEMORY_LIMIT_MB: "1", ENABLE_METRICS: "false" }),
    );
    expect((await fetch(new URL("/metrics", small.origin))).status).toBe(404);
    const tight = await connect(small.url, await idp.token(["web:fetch"]));
    try {
      const result = (await tight.callTool({
        name: "analyze_text",
        arguments: { text: "word ".repeat(100_000) },
      })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(
        /Stopped after 1 chunks: the server uses \d+ MiB, over its 1 MiB limit/,
      );
    } finally {
      await tight.close();
      await small.close();
    }
  });
});
