import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deletePrefix, REDIS_URL, randomPrefix, requireRedis } from "@mcpforge/testing/redis";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  type Notification,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Balancer,
  type Instance,
  requireNginx,
  startInstance,
  startNginx,
  stopInstance,
} from "./cluster-harness.js";
import { describeFailures, runSuite, SCENARIOS, SUITE_TIMEOUT_MS, type SuiteRun } from "./suite.js";

const text = (r: unknown) =>
  ((r as { content: { text: string }[] }).content[0] as { text: string }).text;

async function connect(url: string) {
  const client = new Client(
    { name: "cluster-test", version: "1.0.0" },
    { capabilities: { sampling: {}, elicitation: { form: {} } } },
  );
  const notes: Notification[] = [];
  client.fallbackNotificationHandler = async (n) => {
    notes.push(n);
  };
  client.setRequestHandler(CreateMessageRequestSchema, () => ({
    role: "assistant",
    model: "m",
    content: { type: "text", text: "sampled answer" },
  }));
  client.setRequestHandler(ElicitRequestSchema, () => ({
    action: "accept",
    content: { username: "ada", email: "ada@example.com" },
  }));
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    reconnectionOptions: {
      initialReconnectionDelay: 100,
      maxReconnectionDelay: 1000,
      reconnectionDelayGrowFactor: 1.5,
      maxRetries: 20,
    },
  });
  await client.connect(transport);
  return { client, transport, notes };
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("3 server processes behind nginx (round-robin, no stickiness), sessions in Redis", () => {
  const prefix = randomPrefix("nginx-cluster");
  let instances: Instance[] = [];
  let lb: Balancer | undefined;

  beforeAll(async () => {
    await requireNginx();
    await requireRedis();
    const env = { REDIS_URL, SESSION_PREFIX: prefix, LEASE_MS: "1500" };
    instances = await Promise.all(["a", "b", "c"].map((name) => startInstance(name, env)));
    lb = await startNginx(instances.map((i) => i.port));
  }, 60_000);

  afterAll(async () => {
    await lb?.stop();
    await Promise.all(instances.map((i) => stopInstance(i, "SIGKILL")));
    await deletePrefix(prefix);
  });

  it("samples, elicits, reports progress and logs while requests land on every instance", async () => {
    const { client, notes } = await connect((lb as Balancer).url);
    const where = new Set<string>();
    for (let i = 0; i < 3; i++) where.add(text(await client.callTool({ name: "cluster_where" })));
    expect(where).toEqual(new Set(["a", "b", "c"]));
    for (let i = 0; i < 3; i++) {
      expect(
        text(await client.callTool({ name: "test_sampling", arguments: { prompt: "hi" } })),
      ).toContain("sampled answer");
      expect(
        text(await client.callTool({ name: "test_elicitation", arguments: { message: "who?" } })),
      ).toContain("ada");
      const progress: number[] = [];
      await client.callTool({ name: "test_tool_with_progress" }, undefined, {
        onprogress: (p) => void progress.push(p.progress),
      });
      expect(progress.length).toBeGreaterThan(0);
      const logs = notes.filter((n) => n.method === "notifications/message").length;
      await client.callTool({ name: "test_tool_with_logging" });
      expect(notes.filter((n) => n.method === "notifications/message").length).toBeGreaterThan(
        logs,
      );
    }
    await client.close();
  });

  it("subscriptions and list_changed reach the client from any instance", async () => {
    const { client, notes } = await connect((lb as Balancer).url);
    await client.subscribeResource({ uri: "test://watched-resource" });
    await until(() => notes.some((n) => n.method === "notifications/resources/updated"));
    await client.callTool({ name: "cluster_toggle" });
    await until(() => notes.some((n) => n.method === "notifications/tools/list_changed"));
    await client.close();
  });

  it("SIGKILL of the instance running a call: the stream resumes elsewhere, the call ends with an error, the session goes on", async () => {
    const { client } = await connect((lb as Balancer).url);
    let owner: string | undefined;
    const call = client
      .callTool({ name: "cluster_slow" }, undefined, {
        onprogress: (p) => {
          owner ??= p.message;
        },
        resetTimeoutOnProgress: true,
        timeout: 60_000,
      })
      .then(
        () => new Error("the orphaned call was answered with a result"),
        (err: unknown) => err as Error,
      );
    await until(() => owner !== undefined);
    const victim = instances.find((i) => i.name === owner) as Instance;
    await stopInstance(victim, "SIGKILL");
    const outcome = await call;
    expect(outcome.message).toMatch(/instance running this request stopped/);
    const survivors = new Set<string>();
    for (let i = 0; i < 4; i++)
      survivors.add(text(await client.callTool({ name: "cluster_where" })));
    expect(survivors.has(victim.name)).toBe(false);
    expect(
      text(await client.callTool({ name: "test_sampling", arguments: { prompt: "x" } })),
    ).toContain("sampled answer");
    await client.close();
    // Bring the cluster back to three for the conformance suite.
    const env = { REDIS_URL, SESSION_PREFIX: prefix, LEASE_MS: "1500" };
    const fresh = await startInstance(victim.name, env);
    instances = instances.map((i) => (i === victim ? fresh : i));
    await lb?.stop();
    lb = await startNginx(instances.map((i) => i.port));
  }, 60_000);

  describe("the 2025-11-25 conformance suite through the load balancer", () => {
    let run: SuiteRun | Error;
    let outputDir: string | undefined;
    beforeAll(async () => {
      outputDir = await mkdtemp(join(tmpdir(), "mcpforge-cluster-conformance-"));
      run = await runSuite((lb as Balancer).url, outputDir).catch((err: unknown) =>
        err instanceof Error ? err : new Error(String(err)),
      );
    }, SUITE_TIMEOUT_MS);
    afterAll(async () => {
      if (outputDir) await rm(outputDir, { recursive: true, force: true });
    });

    it("passes 32/32 scenarios", () => {
      if (run instanceof Error) throw run;
      const r = run;
      expect([...r.summary.keys()].sort()).toEqual([...SCENARIOS].sort());
      const failing = SCENARIOS.filter((s) => {
        const summary = r.summary.get(s);
        return (
          !summary ||
          summary.failed > 0 ||
          (r.checks.get(s) ?? []).some((c) => c.status === "FAILURE")
        );
      });
      expect(failing, `failing: ${failing.map((s) => describeFailures(r, s)).join(", ")}`).toEqual(
        [],
      );
      expect(r.stdout).toMatch(/Total: \d+ passed, 0 failed/);
    });
  });
});
