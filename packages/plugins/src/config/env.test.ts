// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} references are the subject of these tests
import { describe, expect, it } from "vitest";
import { substituteEnv } from "./env.js";

describe("substituteEnv", () => {
  const env = { DB_URL: "postgres://db/app", EMPTY: "", PORT: "5432" };

  it("replaces ${NAME} and ${NAME:-default} in every string, deeply", () => {
    const out = substituteEnv(
      {
        url: "${DB_URL}",
        nested: { list: ["port ${PORT}", "${MISSING:-fallback}", "${EMPTY:-used when empty}"] },
        n: 3,
        flag: true,
        none: null,
      },
      env,
      "options",
    );
    expect(out).toEqual({
      url: "postgres://db/app",
      nested: { list: ["port 5432", "fallback", "used when empty"] },
      n: 3,
      flag: true,
      none: null,
    });
  });

  it("keeps $$ as a literal $ and never runs anything", () => {
    expect(substituteEnv("cost $$5 and $${DB_URL}", env, "x")).toBe("cost $5 and ${DB_URL}");
    expect(substituteEnv("$(echo hi) `id` ${DB_URL}", env, "x")).toBe(
      "$(echo hi) `id` postgres://db/app",
    );
  });

  it("a missing variable is an error naming it and where it is used", () => {
    expect(() => substituteEnv({ a: [{ b: "${NOPE}" }] }, env, "cfg plugins[0].options")).toThrow(
      "@mcpforge/plugins: cfg plugins[0].options.a[0].b: environment variable NOPE is not set",
    );
  });

  it("a malformed reference is an error", () => {
    expect(() => substituteEnv("${1X}", env, "p")).toThrow(/invalid variable reference/);
    expect(() => substituteEnv("${DB_URL", env, "p")).toThrow(/invalid variable reference/);
  });
});
