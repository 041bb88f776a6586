import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import config from "../vitest.config.js";

const packageDir = new URL("..", import.meta.url);

describe("README examples", () => {
  it("the README shows every file of examples/ unchanged", async () => {
    const readme = await readFile(new URL("README.md", packageDir), "utf8");
    const files = await readdir(new URL("examples", packageDir));
    expect(files.sort()).toEqual([
      "cache-store-contract.test.ts",
      "middleware-contract.test.ts",
      "notes-server.ts",
      "quality.test.ts",
      "rate-limit-store-contract.test.ts",
      "redis.test.ts",
      "server.test.ts",
    ]);
    for (const file of files) {
      const code = await readFile(new URL(`examples/${file}`, packageDir), "utf8");
      expect(readme, file).toContain(`\`\`\`ts\n// examples/${file}\n${code}\`\`\``);
    }
  });

  it("the examples run as tests of this package", () => {
    // They are vitest files: this project's include runs them with the package's own tests.
    expect(config.test?.include).toContain("examples/**/*.test.ts");
  });
});
