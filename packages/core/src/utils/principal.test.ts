import { describe, expect, it } from "vitest";
import { principalKey } from "./principal.js";

describe("principalKey (the one rule for who the caller is)", () => {
  it("is undefined without auth", () => {
    expect(principalKey(undefined)).toBeUndefined();
  });

  it("names issuer, client id and subject together", () => {
    const a = principalKey({ token: "t1", clientId: "app", scopes: [], extra: { subject: "u1" } });
    const b = principalKey({ token: "t2", clientId: "app", scopes: [], extra: { subject: "u1" } });
    expect(a).toBe(b); // the token does not matter when the caller is named
    expect(a).not.toBe(
      principalKey({ token: "t", clientId: "app", scopes: [], extra: { subject: "u2" } }),
    );
    expect(a).not.toBe(
      principalKey({ token: "t", clientId: "other", scopes: [], extra: { subject: "u1" } }),
    );
    expect(
      principalKey({
        token: "t",
        clientId: "app",
        scopes: [],
        extra: { subject: "u1", issuer: "https://a" },
      }),
    ).not.toBe(
      principalKey({
        token: "t",
        clientId: "app",
        scopes: [],
        extra: { subject: "u1", issuer: "https://b" },
      }),
    );
  });

  it("falls back to a hash of the token, never the token itself", () => {
    const key = principalKey({ token: "very-secret-token", clientId: "", scopes: [] });
    expect(key).toMatch(/^token:[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain("very-secret-token");
    expect(key).not.toBe(principalKey({ token: "another-token", clientId: "", scopes: [] }));
  });

  it("ignores non-string fields", () => {
    expect(principalKey({ token: "t", clientId: "app", scopes: [], extra: { subject: 42 } })).toBe(
      principalKey({ token: "x", clientId: "app", scopes: [] }),
    );
  });

  it("reads a record again unless it and its extra are frozen", () => {
    const extra: Record<string, unknown> = { subject: "u1" };
    const shallow = Object.freeze({ token: "t", clientId: "app", scopes: [], extra });
    const before = principalKey(shallow);
    extra.subject = "u2";
    expect(principalKey(shallow)).not.toBe(before);
    expect(principalKey(shallow)).toBe(
      principalKey({ token: "t", clientId: "app", scopes: [], extra: { subject: "u2" } }),
    );
    const frozen = Object.freeze({
      token: "t",
      clientId: "app",
      scopes: [],
      extra: Object.freeze({ subject: "u1" }),
    });
    expect(principalKey(frozen)).toBe(before);
    expect(principalKey(frozen)).toBe(principalKey(frozen));
  });
});
