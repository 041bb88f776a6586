import { describe, expect, it } from "vitest";
import { headerLogging } from "./headers-json.js";

describe("headerLogging().plainJson", () => {
  it("is json() for headers without escaped lone surrogates, request after request", () => {
    const log = headerLogging((key) => key.includes("key"));
    const headers = { host: "a", "x-api-key": "k", "x-note": 'caf\u00e9 "q" \\' };
    const expected = JSON.stringify({ ...headers, "x-api-key": "[REDACTED]" });
    expect(log.plainJson(headers)).toBe(expected);
    expect(log.plainJson({ ...headers, "x-api-key": "other" })).toBe(expected); // from the cache
  });

  it("is undefined while a header's text escapes a lone surrogate, cached or not", () => {
    const log = headerLogging(() => false);
    const lone = { host: "a", "x-note": "bad \uD800" };
    expect(log.json(lone)).toBe(JSON.stringify(lone));
    expect(log.plainJson(lone)).toBeUndefined();
    expect(log.plainJson({ ...lone })).toBeUndefined(); // the same texts, reused
    expect(log.plainJson({ host: "a", "x-note": "fine" })).toBe('{"host":"a","x-note":"fine"}');
    expect(log.plainJson({ "x-\uDC00": "v", host: "a" })).toBeUndefined(); // in a name
  });
});
