import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

interface ChildOutput {
  secrets: Record<string, string>;
  answers: { status: number; body: string; headers: Record<string, string> }[];
}

describe("auth() and secrets", () => {
  it("never writes tokens or API keys to stderr, error bodies or headers (real child process)", async () => {
    const tsx = createRequire(import.meta.url).resolve("tsx/cli");
    const fixture = fileURLToPath(new URL("./test-utils/auth-stderr.ts", import.meta.url));
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>(
      (resolve, reject) => {
        execFile(
          process.execPath,
          ["--conditions=@mcpforge/source", tsx, fixture],
          { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
          (err, out, errOut) => (err ? reject(err) : resolve({ stdout: out, stderr: errOut })),
        );
      },
    );
    const { secrets, answers } = JSON.parse(stdout) as ChildOutput;

    // The run did what it should: calls answered, refusals refused, everything logged.
    expect(answers.map((a) => a.status)).toEqual([
      200, 200, 200, 200, 401, 401, 401, 401, 401, 401, 200, 200, 401, 503,
    ]);
    expect(answers[2]?.body).toContain("logged");
    expect(answers[3]?.body).toMatch(/Internal error \(correlation id: [0-9a-f-]+\)/);
    expect(stderr).toContain('"principal":"client-a"');
    expect(stderr).toContain('"principal":"key-client"');
    expect(stderr).toContain('"authorization":"[REDACTED]"');
    expect(stderr).toContain('"msg":"JWKS fetch failed"');
    expect(stderr).toContain("unexpected failure");
    // A handler printing ctx.auth (inspect, JSON, spread) shows the principal but not the token.
    expect(stderr).toContain("clientId: 'client-a'");

    const outputs = [stderr, ...answers.map((a) => `${a.body}\n${JSON.stringify(a.headers)}`)];
    for (const [name, secret] of Object.entries(secrets)) {
      const pieces = [secret, ...secret.split(".").filter((p) => p.length > 20)];
      for (const piece of pieces) {
        for (const output of outputs) {
          expect({ name, found: output.includes(piece) }).toEqual({ name, found: false });
        }
      }
    }
  });
});
