import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** Each example in examples/, with lines its output must contain. */
const EXAMPLES: Record<string, RegExp[]> = {
  "plugins.ts": [
    /plugin "database": invalid options: url: Invalid URL; maxRows: Too big/,
    /tools: secret_names, query_database/,
    /after unload: secret_names\n/,
    /after reload: \{ rows: \[\], sql: 'select 1', maxRows: 50 \}/,
    /database@1\.0\.0: loaded \[ 'query_database' \]/,
  ],
  "config.ts": [/greeter: loaded/, /Hi, Ada!/, /is a URL: name a package or a path/],
  "mount.ts": [
    /tools: weather_today\n/,
    /weather middleware sees forecast/,
    /Sunny in Oslo, 21°C/,
    /resources: weather:\/\/wx\/stations/,
    /tools: weather_today, weather_alerts/,
  ],
  "proxy.ts": [/Echo: hello/, /The sum of 2 and 3 is 5/, /sampled: true/, /backend: connected/],
  "extension.ts": [
    /audit: started/,
    /capability: \{"com\.example\/audit":\{"version":1\}\}/,
    /audit: \[ 'tools\/call ping_db' \]/,
    /audit: stopped/,
  ],
};

/** Files the README shows but the tests do not run on their own. */
const SHOWN = ["plugins/greeter.ts", "mcpforge.plugins.json"];

describe("README examples", () => {
  it.each([
    ...Object.keys(EXAMPLES),
    ...SHOWN,
  ])("the README shows examples/%s unchanged", async (name) => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const code = await readFile(new URL(`../examples/${name}`, import.meta.url), "utf8");
    const lang = name.endsWith(".json") ? "jsonc" : "ts";
    expect(readme).toContain(`\`\`\`${lang}\n// examples/${name}\n${code}\`\`\``);
  });

  it.each(Object.keys(EXAMPLES))("examples/%s runs", async (name) => {
    const { stdout } = await run(
      process.execPath,
      ["--conditions=@mcpforge/source", "--import", "tsx", `examples/${name}`],
      { cwd: packageDir, timeout: 60_000 },
    );
    for (const expected of EXAMPLES[name] ?? []) expect(stdout).toMatch(expected);
  });
});
