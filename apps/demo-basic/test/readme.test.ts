import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const TSX_CLI = require.resolve("tsx/cli");
const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

/** The code blocks of the README, in order, with their language. */
async function readmeBlocks(): Promise<{ lang: string; code: string }[]> {
  const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
  return [...readme.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1] ?? "",
    code: m[2] ?? "",
  }));
}

/** Runs the server, writes `input` to its stdin, closes it, and resolves with its stdout. */
function runServer(input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, "--conditions=@mcpforge/source", MAIN], {
      stdio: ["pipe", "pipe", "ignore"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`server exited with ${code}`)),
    );
    child.stdin.end(input);
  });
}

describe("README", () => {
  it("'Talking to it by hand' prints what the README shows", async () => {
    const blocks = await readmeBlocks();
    const command = blocks.findIndex((b) => b.lang === "sh" && b.code.includes("printf '%s\\n'"));
    expect(command).toBeGreaterThanOrEqual(0);
    const messages = [...(blocks[command]?.code ?? "").matchAll(/'(\{.*\})'/g)].map((m) => m[1]);
    expect(messages).toHaveLength(3);
    const shown = blocks[command + 1];
    expect(shown?.lang).toBe("json");
    const expected = (shown?.code ?? "").trim().split("\n");
    const printed = (await runServer(`${messages.join("\n")}\n`)).trim().split("\n");
    // Requests run concurrently: the answers may come in any order.
    expect(printed.sort()).toEqual(expected.sort());
  });
});
