import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "@mcpforge/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { checkServer } from "./check-server.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "check-server-"));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** Findings as `rule component` strings. */
const short = (report: Awaited<ReturnType<typeof checkServer>>) =>
  report.findings.map((f) => `${f.rule} ${f.component.name}`);

/** Writes source files and checks an empty app against the first one. */
async function scan(
  files: Record<string, string>,
  app = createServer({ name: "s", version: "1" }),
) {
  for (const [name, code] of Object.entries(files)) await writeFile(join(dir, name), code);
  return checkServer(app, { source: Object.keys(files)[0] as string, cwd: dir });
}

describe("checkServer: schema rules", () => {
  it("walks nested inputs and treats zod's int() safe-integer range as unbounded", async () => {
    const app = createServer({ name: "s", version: "1" });
    app.tool(
      "t",
      {
        description: "T",
        input: {
          count: z.number().int().describe("c"),
          tags: z.array(z.string().describe("tag")).max(5).describe("t"),
          note: z.string().max(10).nullable().describe("n"),
          day: z.iso.date().describe("d"),
          kind: z.enum(["a", "b"]).describe("k"),
          filter: z.object({ name: z.string() }).describe("f"),
        },
        annotations: { readOnlyHint: true },
      },
      () => "",
    );
    expect(short(await checkServer(app))).toEqual([
      "unbounded-string t",
      "unbounded-string t",
      "unbounded-number t",
    ]);
    const messages = (await checkServer(app)).findings.map((f) => f.message).join("\n");
    expect(messages).toContain('"tags[]"');
    expect(messages).toContain('"filter.name"');
    expect(messages).toContain('"count" of tool "t" is a number without a minimum and a maximum');
  });

  it("skips ignored rules and validates the option", async () => {
    const app = createServer({ name: "s", version: "1" });
    app.tool("t", {}, () => "");
    expect(short(await checkServer(app))).toEqual(["tool-description t"]);
    expect(short(await checkServer(app, { ignore: ["tool-description"] }))).toEqual([]);
    await expect(checkServer(app, { ignore: "tool-description" as never })).rejects.toThrow(
      "@mcpforge/testing: checkServer(): ignore must be an array of rule ids",
    );
  });

  it("reports prompt arguments without descriptions and resource templates without one", async () => {
    const app = createServer({ name: "s", version: "1" });
    app.prompt("p", { description: "P", args: { topic: z.string() } }, () => "x");
    app.resource("notes://{id}", {}, () => "x");
    expect(short(await checkServer(app))).toEqual([
      "resource-description notes://{id}",
      "parameter-description p",
    ]);
  });
});

describe("checkServer: source scan", () => {
  it("tells exec from execFile, and finds exec through aliases, namespaces, require and promisify", async () => {
    const report = await scan({
      "a.ts": `import { execFile, exec as run } from "node:child_process";
import * as cp from "child_process";
import { promisify } from "node:util";
const { execSync } = require("child_process");
const shell = { exec: (s: string) => s };
execFile("ls", ["-la"]);
shell.exec("not child_process");
const text = "exec(ls) and eval(x) in a string";
run("ls");
cp.exec("ls");
execSync("ls");
promisify(run);
cp.spawn("ls", [], { shell: true });
cp.spawn("ls", [], { shell: false });
`,
    });
    const lines = report.findings.map((f) => [f.rule, f.location?.line]);
    expect(lines).toEqual([
      ["no-shell-exec", 9],
      ["no-shell-exec", 10],
      ["no-shell-exec", 11],
      ["no-shell-exec", 12],
      ["no-shell-exec", 13],
    ]);
  });

  it("finds eval (direct, indirect, via globalThis), new Function, and vm loaded any way", async () => {
    const report = await scan({
      "b.ts": `import "./c.js";
const obj = { eval: 1, Function: 2 };
obj.eval;
(0, eval)("1");
globalThis.eval("2");
const f = Function("return 1");
const g = new globalThis.Function("return 2");
`,
      "c.ts": `export const vm = await import("node:vm");
const vm2 = require("vm");
`,
    });
    expect(report.findings.map((f) => `${f.rule} ${f.location?.file}:${f.location?.line}`)).toEqual(
      [
        "no-eval b.ts:4",
        "no-eval b.ts:5",
        "no-new-function b.ts:6",
        "no-new-function b.ts:7",
        "no-vm c.ts:1",
        "no-vm c.ts:2",
      ],
    );
  });

  it("follows relative imports but never node_modules", async () => {
    const report = await scan({
      "d.ts": `import "./node_modules/pkg/index.js";\nimport "./e.js";\n`,
      "e.ts": "eval('1');\n",
    });
    expect(short(report)).toEqual(["no-eval e.ts"]);
  });

  it("finds object-returning handlers and destructive behaviour at the registration", async () => {
    const app = createServer({ name: "s", version: "1" });
    const noop = () => ({ ok: true });
    app.tool("stats", { description: "S" }, noop);
    app.tool("computed", { description: "C" }, noop);
    app.tool("cleanup", { description: "C" }, () => "done");
    const report = await scan(
      {
        "f.ts": `import { rmSync } from "node:fs";
app.tool("stats", { description: "S" }, async () => {
  const inner = () => ({ nested: true });
  if (Math.random() > 2) return "never";
  return { count: 1 } as const;
});
app.tool("computed", { description: "C" }, () => compute());
app.tool("cleanup", { description: "C" }, () => { rmSync("/tmp/x"); return "done"; });
`,
      },
      app,
    );
    expect(short(report)).toEqual([
      "destructive-without-hint cleanup",
      "output-schema-missing stats",
    ]);
    expect(report.findings[0]?.message).toContain("its handler calls rmSync()");
  });
});
