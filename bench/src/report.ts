/** Turns the measurements into the markdown report (printed and written to RESULTS.md). */
import type { ResponseCacheStats } from "@mcpforge/cache/middleware";

/** The response cache's counters (`cache.stats()`), read from a cache server after its runs. */
export type CacheStats = ResponseCacheStats;

/** Throughput and latency of one server in one cell, over every round. */
export interface Agg {
  /** Median req/s over the rounds. */
  rps: number;
  /** Each round's req/s. */
  runs: number[];
  /** Latency percentiles (ms) over all rounds' 2xx responses. */
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export interface HttpCell {
  mode: "stateless" | "stateful";
  connections: number;
  forge: Agg;
  sdk: Agg;
  floor: Agg | undefined;
}

export interface MemSide {
  sessions: number;
  heapPerSession: number;
  rssPerSession: number;
  baseHeap: number;
  baseRss: number;
}

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  os: string;
  date: string;
  sdk: string;
  commit: string;
}

export interface Settings {
  seconds: number;
  warmup: number;
  rounds: number;
  pinned: string;
  memorySessions: number;
  coldRuns: number;
  sessionConcurrency: number;
  /** Measurements are taken again when other processes used more than this many cores. */
  busyLimit: number;
  /** How many measurements were taken again for that reason. */
  retries: number;
  partial: boolean;
}

/** One server of the telemetry figure: its throughput, and its CPU time per call each round (µs). */
export type TelemetrySide = Agg & { cpuPerCall: number[] };

/** Cold starts of each side: wall-clock ms, and the child's CPU ms (all threads). */
export interface ColdRuns {
  forge: number[];
  sdk: number[];
  floor: number[];
  cpu?: { forge: number[]; sdk: number[]; floor: number[] };
}

export interface Results {
  machine: Machine;
  settings: Settings;
  responseModes: { forge: string; sdk: string; floor: string };
  http?: HttpCell[];
  /** Figure 1 by CPU time: CPU µs per call of each cell under a fixed load, pass by pass. */
  httpCpu?: Record<string, number[]>;
  sessions?: { forge: number[]; sdk: number[] };
  memory?: { forge: MemSide; sdk: MemSide };
  /** Over stdio, wall-clock ms (`cpu`: the child's CPU ms); `how` says which build ran. */
  coldStart?: ColdRuns & { how?: string };
  /** Over Streamable HTTP, stateless. */
  coldStartHttp?: ColdRuns;
  inProcess?: { forge: number[]; sdk: number[]; floor: number[]; forgeHelper: number[] };
  middleware?: {
    none: TelemetrySide;
    five: TelemetrySide;
    /** No middleware, `workUs` µs of synchronous work per call: what added work reads as. */
    work?: TelemetrySide;
    workUs?: number;
    stack: TelemetrySide;
    /** The stack behind `telemetry()` (no OpenTelemetry SDK) and `health()` (metrics). */
    observed?: TelemetrySide;
    sdk: Agg | undefined;
    /** The fixed request rate (req/s) at which CPU time per call was measured. */
    rate: number;
  };
  cache?: {
    none: Agg;
    hit: Agg;
    miss: Agg;
    sdk: Agg;
    /** The memory store's `maxEntries`. */
    entries: number;
    hitStats: CacheStats;
    missStats: CacheStats;
    /** Heap used (after a full GC) by the cache-miss server before and after its runs. */
    missHeap: { before: number; after: number };
  };
  telemetry?: {
    none: TelemetrySide;
    api: TelemetrySide;
    sdk: TelemetrySide;
    /** `telemetry()` with `BasicTracerProvider` + the batch processor only (info). */
    sdkBasic: TelemetrySide;
    /** The fixed request rate (req/s) at which CPU time per call was measured. */
    rate: number;
    /** Spans the SDK server's exporter received (and dropped), and the calls it served. */
    spans: number;
    calls: number;
  };
  /** `health()` (its metrics middleware) vs none: throughput and CPU time per call. */
  health?: { none: TelemetrySide; health: TelemetrySide; rate: number; calls: number };
  /** tools/call echo through a proxy vs the backend directly; a mounted tool vs a plain one. */
  composition?: {
    direct: Agg;
    proxy: Agg;
    plain: Agg;
    mounted: Agg;
    /**
     * CPU µs per call under the same fixed load (`rate` req/s), per pass: the backend called
     * directly; the proxy process and its backend when called through the proxy.
     */
    cpu?: { rate: number; direct: number[]; proxy: number[]; backend: number[] };
  };
  /** Stateful tools/call with sessions in Redis vs in memory; session setup with Redis vs the raw SDK. */
  cluster?: { memory: Agg; redis: Agg; three: Agg; sessionsRedis: number[]; sessionsSdk: number[] };
  /** Average CPU use of other processes on the machine during each figure, in cores. */
  background: Record<string, number>;
  elapsedSeconds?: number;
}

/**
 * Proxy throughput vs direct, from CPU µs per call (medians of per-pass ratios): `ownCore` if
 * the proxy and its backend each had a core (the busier one bounds it), `sameCore` when they
 * share one (their sum bounds it).
 */
export function proxyRatios(cpu: { direct: number[]; proxy: number[]; backend: number[] }): {
  ownCore: number;
  sameCore: number;
} {
  const at = (v: number[], i: number) => v[i] ?? Number.NaN;
  const each = (f: (d: number, p: number, b: number) => number) =>
    median(cpu.direct.map((d, i) => f(d, at(cpu.proxy, i), at(cpu.backend, i))));
  return {
    ownCore: each((d, p, b) => d / Math.max(p, b)),
    sameCore: each((d, p, b) => d / (p + b)),
  };
}

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function n(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? "—" : int.format(v);
}

function ms(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return "—";
  return v < 10 ? v.toFixed(2) : v.toFixed(1);
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a / b)) return "—";
  return `${(a / b).toFixed(2)}×`;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function lat(a: Agg | undefined): string {
  return a ? `${ms(a.p50)} / ${ms(a.p99)}` : "—";
}

function errs(a: Agg | undefined): string {
  if (!a || (a.non2xx === 0 && a.errors === 0)) return "";
  return ` ⚠ ${a.non2xx} non-2xx, ${a.errors} errors`;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

interface Target {
  figure: string;
  forge: string;
  sdk: string;
  ratio: string;
  target: string;
  pass: boolean | undefined;
}

function pass(ok: boolean | undefined): string {
  if (ok === undefined) return "not run";
  return ok ? "✅ pass" : "❌ miss";
}

/**
 * A target row comparing two figures (`undefined` when the figure did not run): `a / b` must be
 * at least `goal` (or at most, with `atMost`).
 */
function compared(
  figure: string,
  a: number | undefined,
  b: number | undefined,
  show: (v: number) => string,
  goal: number,
  opts: { atMost?: boolean; labels?: readonly [string, string] } = {},
): Target {
  const [la, lb] = opts.labels ?? ["", ""];
  if (a === undefined || b === undefined) {
    return {
      figure,
      forge: "—",
      sdk: "—",
      ratio: "—",
      target: `${opts.atMost ? "≤" : "≥"} ${goal}×`,
      pass: undefined,
    };
  }
  return {
    figure,
    forge: `${show(a)}${la}`,
    sdk: `${show(b)}${lb}`,
    ratio: ratio(a, b),
    target: `${opts.atMost ? "≤" : "≥"} ${goal}×`,
    pass: opts.atMost ? a / b <= goal : a / b >= goal,
  };
}

function targets(r: Results): Target[] {
  const cell = (mode: string, c: number) =>
    r.http?.find((x) => x.mode === mode && x.connections === c);
  const out: Target[] = [];
  for (const [mode, goal] of [
    ["stateless", 3],
    ["stateful", 1.5],
  ] as const) {
    const c16 = cell(mode, 16);
    out.push({
      figure: `HTTP tools/call ${mode} c=16 (req/s)`,
      forge: n(c16?.forge.rps),
      sdk: n(c16?.sdk.rps),
      ratio: ratio(c16?.forge.rps, c16?.sdk.rps),
      target: `≥ ${goal}×`,
      pass: c16 ? c16.forge.rps / c16.sdk.rps >= goal : undefined,
    });
  }
  const s = r.sessions;
  const med = (v: readonly number[] | undefined) => (v ? median(v) : undefined);
  out.push(compared("Full sessions/s (stateful)", med(s?.forge), med(s?.sdk), n, 2));
  const m = r.memory;
  out.push({
    figure: "Heap per idle session",
    forge: m ? kib(m.forge.heapPerSession) : "—",
    sdk: m ? kib(m.sdk.heapPerSession) : "—",
    ratio: m ? ratio(m.forge.heapPerSession, m.sdk.heapPerSession) : "—",
    target: "≤ 8 KiB and ≤ 0.25×",
    pass: m
      ? m.forge.heapPerSession <= 8192 && m.forge.heapPerSession / m.sdk.heapPerSession <= 0.25
      : undefined,
  });
  for (const [label, cs] of [
    ["stdio", r.coldStart],
    ["HTTP stateless", r.coldStartHttp],
  ] as const) {
    const figure = `Cold start over ${label}, spawn → first tools/call, built \`dist/\` (median ms)`;
    out.push(compared(figure, med(cs?.forge), med(cs?.sdk), ms, 0.7, { atMost: true }));
  }
  const ip = r.inProcess;
  out.push(compared("In-process calls/s", med(ip?.forge), med(ip?.sdk), n, 1.5));
  const co = r.composition;
  const own = co?.cpu ? proxyRatios(co.cpu).ownCore : undefined;
  out.push({
    figure:
      "Proxy (HTTP front, HTTP backend) vs the backend directly: throughput if each process had its own core, by CPU µs per call",
    forge: co?.cpu ? `${median(co.cpu.proxy).toFixed(0)} µs proxy` : "—",
    sdk: co?.cpu ? `${median(co.cpu.direct).toFixed(0)} µs backend` : "—",
    ratio: own === undefined ? "—" : `${own.toFixed(2)}×`,
    target: "≥ 0.5×",
    pass: own === undefined ? undefined : own >= 0.5,
  });
  const cl = r.cluster;
  out.push(
    compared(
      "Stateful tools/call c=16, sessions in Redis vs in memory (req/s)",
      cl?.redis.rps,
      cl?.memory.rps,
      n,
      0.5,
      { labels: [" redis", " memory"] },
    ),
  );
  out.push(
    compared(
      "Session setup/s, Redis sessions vs the raw SDK in memory",
      med(cl?.sessionsRedis),
      med(cl?.sessionsSdk),
      n,
      1,
    ),
  );
  out.push(
    compared(
      "Mounted tool vs a plain tool, c=16 (req/s)",
      co?.mounted.rps,
      co?.plain.rps,
      n,
      0.95,
      { labels: [" mounted", " plain"] },
    ),
  );
  const he = r.health;
  const heRatio = he
    ? median(he.health.cpuPerCall.map((v, i) => (he.none.cpuPerCall[i] ?? Number.NaN) / v))
    : undefined;
  out.push({
    figure: "health() metrics vs none, stateless c=16 (throughput by CPU µs per call)",
    forge: he ? `${median(he.health.cpuPerCall).toFixed(1)} µs with` : "—",
    sdk: he ? `${median(he.none.cpuPerCall).toFixed(1)} µs without` : "—",
    ratio: heRatio === undefined ? "—" : `${heRatio.toFixed(2)}×`,
    target: "≥ 0.9×",
    pass: heRatio === undefined ? undefined : heRatio >= 0.9,
  });
  return out;
}

/** Figure 1 by CPU time: each cell's CPU µs per call and the paired ratios the targets use. */
function httpCpuSection(cpu: Record<string, number[]>): string[] {
  const cells = Object.keys(cpu);
  const passes = cpu[cells[0] as string]?.length ?? 0;
  // throughput of `a` relative to `b` by CPU: the median over passes of b's µs/call over a's
  const by = (a: string, b: string) => {
    const av = cpu[a] ?? [];
    const bv = cpu[b] ?? [];
    return `${median(av.map((v, i) => (bv[i] ?? Number.NaN) / v)).toFixed(2)}×`;
  };
  return [
    `By CPU time: the server's CPU µs per call under the same fixed load (2,500 req/s) in ${passes} paired passes of 1 s slices, the cells in turn (median), and each ratio as the median over the passes of the other cell's CPU time per call over this one's — the throughput ratio a quiet machine would show.`,
    "",
    `| ${cells.join(" | ")} |`,
    `|${cells.map(() => "---:").join("|")}|`,
    `| ${cells.map((c) => `${median(cpu[c] ?? []).toFixed(1)} µs`).join(" | ")} |`,
    "",
    `Stateful vs stateless c=16: **${by("stateful c=16", "stateless c=16")}** (target ≥ 0.90×); stateful vs floor c=16: **${by("stateful c=16", "floor c=16")}** (target ≥ 0.80×); stateless vs floor c=64: **${by("stateless c=64", "floor c=64")}** (target ≥ 0.90×); stateless vs floor c=16: ${by("stateless c=16", "floor c=16")}.`,
  ];
}

/**
 * Renders the whole report as markdown.
 *
 * @example
 * console.log(render(results));
 */
export function render(r: Results): string {
  const L: string[] = [];
  const { machine: m, settings: st } = r;
  L.push("# MCP Forge vs the raw MCP SDK — benchmark results", "");
  if (st.partial) {
    L.push("> Partial or shortened run (`--only` / `--quick`): not the reference figures.", "");
  }
  L.push(
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.os}`,
    `- Node ${m.node}, \`@modelcontextprotocol/sdk\` ${m.sdk}; MCP Forge built from ${m.commit}`,
    `- Date: ${m.date}${r.elapsedSeconds ? ` (run took ${Math.round(r.elapsedSeconds)} s)` : ""}`,
    `- Load: ${st.warmup} s warm-up + ${st.seconds} s per cell, ${st.rounds} rounds alternating the order of the servers; ${st.pinned}`,
    "- How to run, from the repository root: `pnpm install && pnpm bench` (options: `pnpm bench -- --help`)",
  );
  const bg = Object.entries(r.background);
  if (bg.length > 0) {
    const worst = Math.max(...bg.map(([, v]) => v));
    L.push(
      `- Other processes on the machine during the run (CPU cores busy, by figure): ${bg.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ")}; ${st.retries} measurement(s) taken again because others used more than ${st.busyLimit} cores${worst >= 0.25 ? " — **the machine was shared; treat single figures with care**" : ""}`,
    );
  }
  L.push("");

  L.push("## Targets", "");
  L.push("| Figure | MCP Forge | Raw SDK | Forge / SDK | Target | Result |");
  L.push("|---|---:|---:|---:|---|---|");
  for (const t of targets(r)) {
    L.push(`| ${t.figure} | ${t.forge} | ${t.sdk} | ${t.ratio} | ${t.target} | ${pass(t.pass)} |`);
  }
  L.push("");

  if (r.http) {
    L.push("## 1. HTTP `tools/call` (echo)", "");
    L.push(
      `Response modes: MCP Forge **${r.responseModes.forge}** (default \`responseMode: "auto"\`), raw SDK **${r.responseModes.sdk}** (SDK default, \`enableJsonResponse: false\`), floor **${r.responseModes.floor}**. ` +
        "Stateful cells use one session per connection. Latency is per request (ms), over all rounds. " +
        "The floor has no sessions, so the same floor figure stands in both tables.",
      "",
    );
    L.push(
      "| Mode | Conns | Forge req/s | SDK req/s | Forge / SDK | Floor req/s | Forge / Floor | Forge p50 / p99 | SDK p50 / p99 | Floor p50 / p99 |",
    );
    L.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const c of r.http) {
      L.push(
        `| ${c.mode} | ${c.connections} | ${n(c.forge.rps)}${errs(c.forge)} | ${n(c.sdk.rps)}${errs(c.sdk)} | **${ratio(c.forge.rps, c.sdk.rps)}** | ${n(c.floor?.rps)} | ${ratio(c.forge.rps, c.floor?.rps)} | ${lat(c.forge)} | ${lat(c.sdk)} | ${lat(c.floor)} |`,
      );
    }
    L.push("");
    if (r.httpCpu) L.push(...httpCpuSection(r.httpCpu), "");
  }

  if (r.sessions) {
    const f = median(r.sessions.forge);
    const sd = median(r.sessions.sdk);
    L.push("## 2. Full sessions per second (stateful)", "");
    L.push(
      `Each session: \`initialize\`, \`notifications/initialized\`, \`tools/list\`, \`tools/call\`, \`DELETE\`; ${st.sessionConcurrency} concurrent loops on undici (every answer checked). Median of the rounds.`,
      "",
    );
    L.push("| | MCP Forge | Raw SDK | Forge / SDK |", "|---|---:|---:|---:|");
    L.push(`| sessions/s | ${n(f)} | ${n(sd)} | **${ratio(f, sd)}** |`);
    L.push(
      `| rounds | ${r.sessions.forge.map(n).join(", ")} | ${r.sessions.sdk.map(n).join(", ")} | |`,
    );
    L.push("");
  }

  if (r.memory) {
    const { forge: f, sdk: s } = r.memory;
    L.push("## 3. Memory per idle session (stateful)", "");
    L.push(
      `${f.sessions} sessions opened (\`initialize\` + \`notifications/initialized\`) and left idle; each server in its own process with \`--expose-gc\`; full GC before each reading; delta against the same process after a warm-up.`,
      "",
    );
    L.push("| | MCP Forge | Raw SDK | Forge / SDK |", "|---|---:|---:|---:|");
    L.push(
      `| heap used per session | ${kib(f.heapPerSession)} | ${kib(s.heapPerSession)} | **${ratio(f.heapPerSession, s.heapPerSession)}** |`,
    );
    L.push(
      `| RSS per session | ${kib(f.rssPerSession)} | ${kib(s.rssPerSession)} | ${ratio(f.rssPerSession, s.rssPerSession)} |`,
    );
    L.push(
      `| baseline heap / RSS (warmed up, no session) | ${mib(f.baseHeap)} / ${mib(f.baseRss)} | ${mib(s.baseHeap)} / ${mib(s.baseRss)} | |`,
    );
    L.push("");
  }

  if (r.coldStart || r.coldStartHttp) {
    L.push("## 4. Cold start", "");
    L.push(
      `Spawn of a plain \`node\` child to the answer of the first \`tools/call\` (after \`initialize\` and \`notifications/initialized\`), run the way an installed package runs: ${r.coldStart?.how ?? "MCP Forge's built `dist/`"}; its dependencies (the SDK, zod) where pnpm installed them; the bench's entries compiled to plain JavaScript; no bundling, no loader hooks. Over **stdio** the exchange is written to the child's stdin; over **HTTP** (stateless: MCP Forge \`listen({ mode: "stateless" })\`, the raw SDK as its stateless example, a new \`McpServer\` and transport per request on \`node:http\`) the child prints its URL once it listens and the three messages are POSTed on one keep-alive connection. One discarded warm-up run each, then the sides take turns. The floor answers the same exchange by hand, importing nothing but its answer (Node's own start-up). The target is checked on wall-clock time; the CPU row is the child's CPU time up to the answer (all its threads, \`/proc/<pid>/task/*/schedstat\`), which moves far less when other processes share the machine.`,
      "",
    );
    L.push(
      "| transport | | MCP Forge | Raw SDK | Forge / SDK | Floor | Forge − floor | SDK − floor |",
      "|---|---|---:|---:|---:|---:|---:|---:|",
    );
    for (const [label, cs] of [
      ["stdio", r.coldStart],
      ["HTTP stateless", r.coldStartHttp],
    ] as const) {
      if (!cs) continue;
      const { forge: f, sdk: sd, floor: fl } = cs;
      L.push(
        `| ${label} | median ms | ${ms(median(f))} | ${ms(median(sd))} | **${ratio(median(f), median(sd))}** | ${ms(median(fl))} | ${ms(median(f) - median(fl))} | ${ms(median(sd) - median(fl))} |`,
      );
      L.push(
        `| | runs (ms) | ${f.map(ms).join(", ")} | ${sd.map(ms).join(", ")} | | ${fl.map(ms).join(", ")} | | |`,
      );
      const c = cs.cpu;
      if (c) {
        L.push(
          `| | CPU ms (child, all threads; median) | ${ms(median(c.forge))} | ${ms(median(c.sdk))} | ${ratio(median(c.forge), median(c.sdk))} | ${ms(median(c.floor))} | ${ms(median(c.forge) - median(c.floor))} | ${ms(median(c.sdk) - median(c.floor))} |`,
        );
      }
    }
    L.push("");
  }

  if (r.inProcess) {
    const { forge: f, sdk: sd, floor: fl, forgeHelper: h } = r.inProcess;
    L.push("## 5. In-process calls per second", "");
    L.push(
      "Sequential awaited `tools/call` echo with the same SDK `Client` over the in-memory transport: `createTestClient(app).client.callTool()` vs `McpServer` + `InMemoryTransport.createLinkedPair()`. The floor is the same client against a bare function that writes the answer (the client's and transport's own cost). Each run in a fresh process; median of the rounds.",
      "",
    );
    L.push(
      "| | MCP Forge | Raw SDK | Forge / SDK | Floor | µs per call: Forge / SDK / floor |",
      "|---|---:|---:|---:|---:|---:|",
    );
    const us = (v: number) => (1e6 / v).toFixed(1);
    L.push(
      `| calls/s | ${n(median(f))} | ${n(median(sd))} | **${ratio(median(f), median(sd))}** | ${n(median(fl))} | ${us(median(f))} / ${us(median(sd))} / ${us(median(fl))} |`,
    );
    L.push(
      `| rounds | ${f.map(n).join(", ")} | ${sd.map(n).join(", ")} | | ${fl.map(n).join(", ")} | |`,
    );
    if (h.length > 0) {
      L.push(
        `| via the \`callToolRaw()\` helper (info) | ${n(median(h))} | — | ${ratio(median(h), median(sd))} | | ${us(median(h))} |`,
      );
    }
    L.push("");
  }

  if (r.middleware) {
    const { none, five, work, workUs, stack, observed, sdk, rate } = r.middleware;
    const cpu = (a: TelemetrySide) => median(a.cpuPerCall);
    const byCpu = (a: TelemetrySide) =>
      median(a.cpuPerCall.map((v, i) => (none.cpuPerCall[i] ?? Number.NaN) / v));
    L.push("## 6. Middleware overhead (stateless, 16 connections)", "");
    L.push(
      "Five trivial middleware that each just call `next()`: two onion functions, two `onRequest` hooks and one `onCallTool` hook (a mixed stack). " +
        'The real stack is the recommended production set from `@mcpforge/middleware`, in this order: `errorMasking()`, `logging({ destination: "/dev/null" })` (one pino line per request, every line written to `/dev/null` as a file, in batches of 20 ms: the default), `timing()`, `auth()` with an API key (sent by the load generator in `x-api-key`), `rateLimit()` (global token bucket in a `memoryRateLimitStore()`, capacity 1e9: never refuses), `validation({ default: { maxStringLength: 10000, maxArgumentBytes: 100000 } })`, `timeout({ defaultMs: 30000 })`, `concurrency({ max: 1000 })`. ' +
        "The last row puts `telemetry()` from `@mcpforge/telemetry` (no OpenTelemetry SDK registered: only `@opentelemetry/api`) and `health()` from `@mcpforge/health` (prom-client metrics recorded on every call) in front of the same stack. " +
        `Measured as figure 8: req/s, and CPU µs per call under the same fixed load (${n(rate)} req/s) in ${none.cpuPerCall.length} paired passes of 1 s slices — the ratio a quiet machine would show; the targets are checked on the CPU figure.`,
      "",
    );
    L.push(
      "| | req/s | p50 / p99 ms | req/s vs none | CPU µs per call | throughput vs none, by CPU | vs raw SDK stateless (req/s) | Target | Result |",
      "|---|---:|---:|---:|---:|---:|---:|---|---|",
    );
    const row = (label: string, a: TelemetrySide, target?: number) =>
      `| ${label} | ${n(a.rps)}${errs(a)} | ${lat(a)} | ${ratio(a.rps, none.rps)} | ${cpu(a).toFixed(1)} | **${byCpu(a).toFixed(2)}×** | ${ratio(a.rps, sdk?.rps)} | ${target === undefined ? "" : `≥ ${target}×`} | ${target === undefined ? "" : pass(byCpu(a) >= target)} |`;
    L.push(row("MCP Forge, no middleware", none));
    L.push(row("MCP Forge, 5 middleware", five));
    if (work)
      L.push(row(`MCP Forge, no middleware + ${workUs} µs of work per call (calibration)`, work));
    L.push(row("MCP Forge, real middleware stack", stack, 0.8));
    if (observed)
      L.push(row("MCP Forge, stack + metrics + telemetry (no OTel SDK)", observed, 0.75));
    const sides = [none, five, ...(work ? [work] : []), stack, ...(observed ? [observed] : [])];
    const names = ["none", "5", ...(work ? ["+work"] : []), "stack"];
    if (observed) names.push("stack + metrics + telemetry");
    L.push(
      "",
      ...(work
        ? [
            `The calibration row has no middleware; its \`echo\` first does work that takes ${workUs} µs in a hot loop in that process (integer arithmetic, no allocation: \`compute()\` in \`src/entries/work.ts\`): CPU µs per call ${cpu(work).toFixed(1)} against none's ${cpu(none).toFixed(1)}, so work measured at ${workUs} µs on its own adds ${(cpu(work) - cpu(none)).toFixed(1)} µs per call in the request path here. The middleware rows' own work is best read against it: code that a micro-benchmark times at a few µs costs more between a request's other work.`,
            "",
          ]
        : []),
      `Rounds, ${names.join(" / ")} — req/s: ${sides.map((a) => a.runs.map(n).join(", ")).join(" / ")}; CPU µs per call: ${sides.map((a) => a.cpuPerCall.map((v) => v.toFixed(1)).join(", ")).join(" / ")}.`,
      "",
    );
  }

  if (r.cache) {
    const { none, hit, miss, sdk, entries, hitStats: hs, missStats: ms2, missHeap } = r.cache;
    L.push("## 7. Response cache (stateless, 16 connections)", "");
    L.push(
      "A `slow_echo(text)` tool that spins synchronously for about 0.2 ms before answering (a small fixed cost; the same on every server) — MCP Forge stateless, with `responseCache({ store: memoryStore({ maxEntries: " +
        `${entries} }), ttlMs: 300000, tools: ["slow_echo"] })\` from \`@mcpforge/cache\` and without it. ` +
        '**Cache hit**: every request has the same arguments, so after the first one every answer comes from the cache (checked: a sample answer after the load carries `_meta["dev.mcpforge/cache"].hit`). ' +
        "**Cache miss**: every request has arguments no earlier one had, so every answer goes to the tool, is stored and evicts the least recently used entry (checked: no hits). " +
        "The raw SDK row is the SDK stateless server (a new `McpServer` + transport per request, SSE answers) with the same `slow_echo` and no cache. Hit and miss run in separate server processes.",
      "",
    );
    L.push(
      "| | req/s | p50 / p99 ms | vs no cache | vs raw SDK stateless |",
      "|---|---:|---:|---:|---:|",
    );
    L.push(
      `| MCP Forge, no cache | ${n(none.rps)}${errs(none)} | ${lat(none)} | 1.00× | ${ratio(none.rps, sdk.rps)} |`,
    );
    L.push(
      `| MCP Forge, cache hit (same arguments) | ${n(hit.rps)}${errs(hit)} | ${lat(hit)} | **${ratio(hit.rps, none.rps)}** | ${ratio(hit.rps, sdk.rps)} |`,
    );
    L.push(
      `| MCP Forge, cache miss (unique arguments) | ${n(miss.rps)}${errs(miss)} | ${lat(miss)} | **${ratio(miss.rps, none.rps)}** | ${ratio(miss.rps, sdk.rps)} |`,
    );
    L.push(
      `| Raw SDK stateless, no cache | ${n(sdk.rps)}${errs(sdk)} | ${lat(sdk)} | ${ratio(sdk.rps, none.rps)} | 1.00× |`,
    );
    L.push("");
    L.push(
      `Cache counters after the runs (warm-ups included): hit server — hits ${n(hs.hits)} (shared with an identical request in flight: ${n(hs.coalesced)}), misses ${n(hs.misses)}; ` +
        `miss server — hits ${n(ms2.hits)}, misses ${n(ms2.misses)}, stored ${n(ms2.sets)}, evicted ${n(ms2.evictions)} — heap used after a full GC ${mib(missHeap.before)} before its runs, ${mib(missHeap.after)} after (the store stays bounded).`,
      "",
    );
  }

  if (r.telemetry) {
    const { none, api, sdk, sdkBasic, rate, spans, calls } = r.telemetry;
    const cpu = (a: TelemetrySide) => median(a.cpuPerCall);
    // throughput relative to no telemetry from CPU time per call: the median over the passes
    // of none's CPU time over this server's, both measured in the same pass
    const byCpu = (a: TelemetrySide) =>
      median(a.cpuPerCall.map((v, i) => (none.cpuPerCall[i] ?? Number.NaN) / v));
    L.push("## 8. Telemetry overhead (stateless, 16 connections)", "");
    L.push(
      "MCP Forge stateless with `telemetry()` from `@mcpforge/telemetry` and without it. **No SDK**: the middleware installed and only `@opentelemetry/api` present (no tracer or meter provider registered) — what a server pays for shipping telemetry switched off. " +
        "**SDK**: `NodeTracerProvider` (AsyncLocalStorage context, W3C propagators) with a `BatchSpanProcessor` whose exporter drops every batch (exporting to nowhere: the SDK's own cost, no network) and a `MeterProvider` with a periodic reader doing the same; every call records a SERVER span and the operation-duration histogram. " +
        "The last row (information) has the least SDK there is — `BasicTracerProvider` from `@opentelemetry/sdk-trace-base` with the same batch processor, no context manager, no metrics SDK: the difference to the SDK row is mostly the AsyncLocalStorage context manager, whose promise hooks every promise of the process pays for on Node 20 once a context is entered (and handlers need it to see the active span). " +
        `Throughput (req/s) is measured as in the other figures; it moves a lot when other processes share the machine. So each server also counts its calls and CPU time, and **CPU µs per call** is measured with every server under the same fixed load (${n(rate)} req/s over 16 connections) in ${none.cpuPerCall.length} passes of 1 s slices, the servers in turn (median shown). A server pinned to one core serves at most 1 / (CPU time per call) requests per second, so **throughput vs none, by CPU** — the median over the passes of none's CPU time per call over this server's in the same pass — is the ratio a quiet machine would show; the targets are checked on it. ` +
        `Checked: the SDK server's exporter received ${n(spans)} spans for its ${n(calls)} calls.`,
      "",
    );
    L.push(
      "| | req/s | p50 / p99 ms | req/s vs none | CPU µs per call | throughput vs none, by CPU | Target | Result |",
      "|---|---:|---:|---:|---:|---:|---|---|",
    );
    const row = (label: string, a: TelemetrySide, target?: number) =>
      `| ${label} | ${n(a.rps)}${errs(a)} | ${lat(a)} | ${ratio(a.rps, none.rps)} | ${cpu(a).toFixed(1)} | **${byCpu(a).toFixed(2)}×** | ${target === undefined ? "" : `≥ ${target}×`} | ${target === undefined ? "" : pass(byCpu(a) >= target)} |`;
    L.push(row("MCP Forge, no telemetry", none));
    L.push(row("MCP Forge, telemetry, no OTel SDK", api, 0.95));
    L.push(row("MCP Forge, telemetry, SDK + batch processor", sdk, 0.6));
    L.push(
      row("MCP Forge, telemetry, BasicTracerProvider + batch processor only (info)", sdkBasic),
    );
    const rounds = (f: (a: TelemetrySide) => string) =>
      [none, api, sdk, sdkBasic].map(f).join(" / ");
    L.push(
      "",
      `Rounds, none / no SDK / SDK / basic SDK — req/s: ${rounds((a) => a.runs.map(n).join(", "))}; CPU µs per call: ${rounds((a) => a.cpuPerCall.map((v) => v.toFixed(1)).join(", "))}.`,
      "",
    );
  }

  if (r.composition) {
    const { direct, proxy, plain, mounted } = r.composition;
    L.push("## 9. Composition: proxy and mount (stateless, 16 connections)", "");
    L.push(
      "**Proxy**: `createProxy({ url })` from `@mcpforge/plugins` in its own process, served over Streamable HTTP (stateless), in front of an MCP Forge stateless server in another process (the same `echo` as figure 1). The proxy keeps one client connection to the backend (`HttpClientTransport` from `@mcpforge/core/client` under the SDK `Client`), reused by every call; the direct row is the same backend measured without the proxy. Both processes share the server core, so the proxied figure pays for two servers' work on one core. " +
        '**Mount**: one MCP Forge stateless process with `echo` registered on the app and `m_echo` from a child app mounted with `mount(app, child, { namespace: "m" })`: the plain and mounted rows hit the same process.',
      "",
    );
    L.push("| | req/s | p50 / p99 ms | ratio |", "|---|---:|---:|---:|");
    L.push(`| backend directly | ${n(direct.rps)}${errs(direct)} | ${lat(direct)} | 1.00× |`);
    L.push(
      `| through the proxy | ${n(proxy.rps)}${errs(proxy)} | ${lat(proxy)} | **${ratio(proxy.rps, direct.rps)}** |`,
    );
    L.push(`| plain tool | ${n(plain.rps)}${errs(plain)} | ${lat(plain)} | 1.00× |`);
    L.push(
      `| mounted tool | ${n(mounted.rps)}${errs(mounted)} | ${lat(mounted)} | **${ratio(mounted.rps, plain.rps)}** |`,
    );
    L.push("");
    const cpu = r.composition.cpu;
    if (cpu) {
      const { ownCore, sameCore } = proxyRatios(cpu);
      const m = (v: number[]) => median(v).toFixed(1);
      L.push(
        `**Proxy CPU per call**: every process's CPU time per call under the same fixed load (${n(cpu.rate)} req/s, 16 connections) in ${cpu.direct.length} paired passes of 1 s slices (as figures 8 and 10), medians; calls counted by the backend. ` +
          "The proxied req/s above is bounded by the two processes sharing one core; the target is checked on the throughput the proxy would allow with a core of its own: direct backend µs ÷ max(proxy µs, backend µs in the proxied run).",
        "",
        "| | CPU µs per call | throughput vs direct | Target | Result |",
        "|---|---:|---:|---|---|",
        `| backend, called directly | ${m(cpu.direct)} | 1.00× | | |`,
        `| proxy process (called through the proxy) | ${m(cpu.proxy)} | | | |`,
        `| backend (called through the proxy) | ${m(cpu.backend)} | | | |`,
        `| proxied, each process on its own core | | **${ownCore.toFixed(2)}×** | ≥ 0.5× | ${pass(ownCore >= 0.5)} |`,
        `| proxied, both on one core (bound) | | ${sameCore.toFixed(2)}× | | |`,
        "",
        `Passes, CPU µs per call, direct / proxy / backend via proxy: ${[cpu.direct, cpu.proxy, cpu.backend].map((v) => v.map((x) => x.toFixed(1)).join(", ")).join(" / ")}.`,
        "",
      );
    }
  }

  if (r.health) {
    const { none, health, rate, calls } = r.health;
    const cpu = (a: TelemetrySide) => median(a.cpuPerCall);
    const byCpu = (a: TelemetrySide) =>
      median(a.cpuPerCall.map((v, i) => (none.cpuPerCall[i] ?? Number.NaN) / v));
    L.push("## 10. Health metrics overhead (stateless, 16 connections)", "");
    L.push(
      "MCP Forge stateless `tools/call` (echo) with `app.use(health())` from `@mcpforge/health` — probes, `/metrics` with prom-client's default metrics, and the metrics middleware recording `mcp_server_operation_duration_seconds` and the in-flight gauge on every call — and the same server without it, in the same run. " +
        `Measured as figure 8: req/s, and CPU µs per call under the same fixed load (${n(rate)} req/s) in ${none.cpuPerCall.length} paired passes of 1 s slices; the target is checked on the CPU figure. ` +
        `Checked: the health server's histogram counted all ${n(calls)} of its echo calls.`,
      "",
    );
    L.push(
      "| | req/s | p50 / p99 ms | req/s vs none | CPU µs per call | throughput vs none, by CPU | Target | Result |",
      "|---|---:|---:|---:|---:|---:|---|---|",
    );
    const row = (label: string, a: TelemetrySide, target?: number) =>
      `| ${label} | ${n(a.rps)}${errs(a)} | ${lat(a)} | ${ratio(a.rps, none.rps)} | ${cpu(a).toFixed(1)} | **${byCpu(a).toFixed(2)}×** | ${target === undefined ? "" : `≥ ${target}×`} | ${target === undefined ? "" : pass(byCpu(a) >= target)} |`;
    L.push(row("MCP Forge, no health()", none));
    L.push(row("MCP Forge, health() with metrics", health, 0.9));
    L.push(
      "",
      `Rounds, none / health — req/s: ${[none, health].map((a) => a.runs.map(n).join(", ")).join(" / ")}; CPU µs per call: ${[none, health].map((a) => a.cpuPerCall.map((v) => v.toFixed(1)).join(", ")).join(" / ")}.`,
      "",
    );
  }

  if (r.cluster) {
    const { memory, redis, three, sessionsRedis, sessionsSdk } = r.cluster;
    L.push("## 11. Sessions in Redis (stateful, 16 connections)", "");
    L.push(
      "MCP Forge stateful `tools/call` echo with the default in-memory sessions vs `redisSessions()` from `@mcpforge/core/redis` (Redis at 127.0.0.1:6379, shared by the machine): one instance each; then the same Redis-backed sessions spread over 3 instances (the connections split between them, every instance serving every session — what a round-robin load balancer does, without its cost). The instances share the server core, so the 3-instance row shows the per-request overhead of any-instance routing, not scaling. Session setup: full sessions (initialize, initialized, tools/list, tools/call, DELETE) per second, 16 concurrent, Redis-backed MCP Forge vs the raw SDK's in-memory stateful server.",
      "",
    );
    L.push("| | req/s | p50 / p99 ms | ratio |", "|---|---:|---:|---:|");
    L.push(`| in memory, 1 instance | ${n(memory.rps)}${errs(memory)} | ${lat(memory)} | 1.00× |`);
    L.push(
      `| Redis, 1 instance | ${n(redis.rps)}${errs(redis)} | ${lat(redis)} | **${ratio(redis.rps, memory.rps)}** |`,
    );
    L.push(
      `| Redis, 3 instances | ${n(three.rps)}${errs(three)} | ${lat(three)} | ${ratio(three.rps, memory.rps)} |`,
    );
    L.push(
      "",
      `Session setup: Redis-backed ${n(median(sessionsRedis))}/s vs raw SDK in memory ${n(median(sessionsSdk))}/s — **${ratio(median(sessionsRedis), median(sessionsSdk))}** (rounds: ${sessionsRedis.map(n).join(", ")} vs ${sessionsSdk.map(n).join(", ")}).`,
      "",
    );
  }

  L.push("## Method", "");
  L.push(
    "- Every server runs in its own child process on plain `node`, from JavaScript compiled out of the current sources with TypeScript's `transpileModule` (`bench/.cache/build`, one file per module like a published `dist/`; no bundling, no loader hooks). The SDK and zod are the installed packages, shared by both sides. The cold start (figure 4) runs `@mcpforge/core`'s real `dist/` instead, built by `tsc -b` and resolved through its `package.json` as after an install (`bench/.cache/installed`).",
    "- The load generator (autocannon, then undici for sessions) runs in the parent process, never in a server's process. " +
      (st.pinned.startsWith("pinned")
        ? "With `taskset` the parent is pinned to one core and every child to the other, so the load generator does not steal the server's core (and the server's GC threads share its core)."
        : "Processes were not pinned to cores."),
    "- Every server is checked before it is measured (`echo` returns its text, `add(2, 3)` returns `5`, in whatever response mode it uses); autocannon runs count only 2xx answers and the table flags any non-2xx or socket error. JSON-RPC ids are unique per request.",
    "- The raw SDK baseline follows the SDK's own examples on `node:http` (body parsed first, as `express.json()` does there): stateless builds a new `McpServer` and transport per request; stateful keeps one `McpServer` + transport per session.",
    "- The floor is a plain `node:http` handler that parses the JSON-RPC body and writes the same `tools/call` result — the cost of HTTP + JSON alone.",
    `- Other processes' CPU use is watched through \`/proc\`; a measurement during which they used more than ${st.busyLimit} cores is taken again (at most twice) and the quietest attempt kept.`,
    "",
  );
  return L.join("\n");
}
