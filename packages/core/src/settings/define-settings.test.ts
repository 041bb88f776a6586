import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { defineSettings, parseDotEnv, SettingsError } from "./define-settings.js";

function settingsError(run: () => unknown): SettingsError {
  try {
    run();
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error("expected a SettingsError");
}

describe("defineSettings", () => {
  const schema = z.object({
    port: z.number().int().default(3000),
    host: z.string().default("localhost"),
    debug: z.boolean().default(false),
    maxRetries: z.int().min(0).optional(),
    tags: z.array(z.string()).default([]),
    ratio: z.number().nullable().default(null),
  });

  it("applies defaults when nothing is set", () => {
    expect(defineSettings(schema, { env: {}, envFile: false })).toEqual({
      port: 3000,
      host: "localhost",
      debug: false,
      tags: [],
      ratio: null,
    });
  });

  it("maps keys to UPPER_SNAKE names with the prefix and coerces values", () => {
    const settings = defineSettings(schema, {
      prefix: "APP_",
      envFile: false,
      env: {
        APP_PORT: "8080",
        APP_HOST: "example.com",
        APP_DEBUG: "Yes",
        APP_MAX_RETRIES: " 5 ",
        APP_TAGS: "a, b ,c,",
        APP_RATIO: "0.5",
        PORT: "1",
      },
    });
    expect(settings).toEqual({
      port: 8080,
      host: "example.com",
      debug: true,
      maxRetries: 5,
      tags: ["a", "b", "c"],
      ratio: 0.5,
    });
  });

  it.each([
    ["true", true],
    ["1", true],
    ["ON", true],
    ["yes", true],
    ["false", false],
    ["0", false],
    ["Off", false],
    ["NO", false],
  ])("coerces the boolean %j", (raw, expected) => {
    const s = z.object({ flag: z.boolean() });
    expect(defineSettings(s, { env: { FLAG: raw }, envFile: false }).flag).toBe(expected);
  });

  it("coerces array elements by the element type", () => {
    const s = z.object({ ports: z.array(z.number()), flags: z.array(z.boolean()).optional() });
    expect(
      defineSettings(s, { env: { PORTS: "80,443", FLAGS: "on,off" }, envFile: false }),
    ).toEqual({ ports: [80, 443], flags: [true, false] });
  });

  it("passes other types through as strings", () => {
    const s = z.object({
      mode: z.enum(["dev", "prod"]),
      url: z.url(),
      name: z.string().transform((v) => v.toUpperCase()),
    });
    expect(
      defineSettings(s, {
        env: { MODE: "prod", URL: "https://example.com", NAME: "abc" },
        envFile: false,
      }),
    ).toEqual({ mode: "prod", url: "https://example.com", name: "ABC" });
  });

  it("treats empty strings as unset", () => {
    expect(defineSettings(schema, { env: { PORT: "", HOST: "" }, envFile: false })).toMatchObject({
      port: 3000,
      host: "localhost",
    });
  });

  it("reads process.env by default", () => {
    const name = "DEFINE_SETTINGS_TEST_VALUE";
    process.env[name] = "from-process";
    try {
      const s = z.object({ defineSettingsTestValue: z.string() });
      expect(defineSettings(s, { envFile: false })).toEqual({
        defineSettingsTestValue: "from-process",
      });
    } finally {
      delete process.env[name];
    }
  });

  describe("with a .env file", () => {
    let dir: string;
    let file: string;

    beforeAll(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), "define-settings-"));
      file = path.join(dir, ".env");
      await fs.writeFile(
        file,
        [
          "# settings for tests",
          "APP_PORT=9000",
          'export APP_HOST="file-host" # comment',
          "APP_DEBUG=on",
          "APP_TAGS=",
        ].join("\n"),
      );
    });

    afterAll(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it("falls back to the file and lets the real environment win", () => {
      const settings = defineSettings(schema, {
        prefix: "APP_",
        envFile: file,
        env: { APP_PORT: "7000", APP_DEBUG: "" },
      });
      expect(settings).toMatchObject({ port: 7000, host: "file-host", debug: true, tags: [] });
    });

    it("resolves a relative envFile against the working directory", () => {
      const relative = path.relative(process.cwd(), file);
      expect(defineSettings(schema, { prefix: "APP_", envFile: relative, env: {} }).port).toBe(
        9000,
      );
    });

    it("ignores the file when envFile is false", () => {
      expect(defineSettings(schema, { prefix: "APP_", envFile: false, env: {} }).port).toBe(3000);
    });

    it("accepts a missing file", () => {
      const missing = path.join(dir, "missing.env");
      expect(defineSettings(schema, { prefix: "APP_", envFile: missing, env: {} }).port).toBe(3000);
    });

    it("fails clearly when the file cannot be read", () => {
      expect(() => defineSettings(schema, { envFile: dir, env: {} })).toThrow(
        /Cannot read env file/,
      );
    });
  });

  it("lists every invalid variable at once by its environment name", () => {
    const s = z.object({
      port: z.number(),
      mode: z.enum(["dev", "prod"]),
      debug: z.boolean(),
      required: z.string(),
      ports: z.array(z.number()),
      ok: z.string().default("fine"),
    });
    const error = settingsError(() =>
      defineSettings(s, {
        prefix: "APP_",
        envFile: false,
        env: { APP_PORT: "abc", APP_MODE: "test", APP_DEBUG: "maybe", APP_PORTS: "1,x" },
      }),
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("SettingsError");
    expect(error.issues.map((issue) => issue.variable)).toEqual([
      "APP_PORT",
      "APP_MODE",
      "APP_DEBUG",
      "APP_REQUIRED",
      "APP_PORTS",
    ]);
    expect(error.message).toMatch(/^Invalid settings:\n {2}APP_PORT: /);
    expect(error.message).toContain(
      'APP_PORT: Invalid input: expected number, received string (value: "abc")',
    );
    expect(error.message).toContain('APP_MODE: Invalid option: expected one of "dev"|"prod"');
    expect(error.message).toContain('(value: "test")');
    expect(error.message).toContain("APP_DEBUG: Invalid input: expected boolean, received string");
    expect(error.message).toContain("APP_REQUIRED: Invalid input: expected string");
    expect(error.message).toContain("(not set)");
    expect(error.message).toContain("APP_PORTS: at 1: Invalid input: expected number");
    expect(error.message.split("\n")).toHaveLength(6);
  });

  it("redacts values of sensitive variables", () => {
    const s = z.object({
      apiKey: z.string().min(40),
      dbPassword: z.string().min(40),
      authToken: z.string().min(40),
      clientSecret: z.string().min(40),
      plain: z.string().min(40),
    });
    const error = settingsError(() =>
      defineSettings(s, {
        envFile: false,
        env: {
          API_KEY: "k-123",
          DB_PASSWORD: "hunter2",
          AUTH_TOKEN: "t-456",
          CLIENT_SECRET: "s-789",
          PLAIN: "visible",
        },
      }),
    );
    for (const leaked of ["k-123", "hunter2", "t-456", "s-789"]) {
      expect(error.message).not.toContain(leaked);
      expect(JSON.stringify(error.issues)).not.toContain(leaked);
    }
    expect(error.message).toContain("API_KEY: Too small");
    expect(error.message.match(/<redacted>/g)).toHaveLength(4);
    expect(error.message).toContain(
      'PLAIN: Too small: expected string to have >=40 characters (value: "visible")',
    );
  });
});

describe("parseDotEnv", () => {
  it("parses assignments, export, comments and blank lines", () => {
    const text = [
      "# a comment",
      "",
      "A=1",
      "export B=two",
      "  C = spaced value  ",
      "D=",
      "E=a#b",
      "F=value # inline comment",
      "not an assignment",
      "A=overridden",
    ].join("\n");
    expect(parseDotEnv(text)).toEqual({
      A: "overridden",
      B: "two",
      C: "spaced value",
      D: "",
      E: "a#b",
      F: "value",
    });
  });

  it("handles quoted values", () => {
    const text = [
      'DQ="hello # not a comment"',
      "SQ='single \\n kept # too'",
      'ESC="line1\\nline2\\t\\"quoted\\" \\\\"',
      'AFTER="x" # trailing comment',
      'MULTI="first',
      'second"',
      "EMPTY=''",
    ].join("\r\n");
    expect(parseDotEnv(text)).toEqual({
      DQ: "hello # not a comment",
      SQ: "single \\n kept # too",
      ESC: 'line1\nline2\t"quoted" \\',
      AFTER: "x",
      MULTI: "first\nsecond",
      EMPTY: "",
    });
  });

  it("defines keys such as __proto__ as own properties", () => {
    const parsed = parseDotEnv("__proto__=x");
    expect(Object.hasOwn(parsed, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });
});
