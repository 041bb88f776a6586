import { describe, expect, it } from "vitest";
import { headerLogging } from "./headers-json.js";

type Headers = Record<string, string | string[] | undefined>;

describe("headerLogging().json", () => {
  it("is JSON.stringify(logged(headers)) over requests whose headers change, grow and shrink", () => {
    const log = headerLogging((key) => key.includes("key"));
    const check = (headers: Headers) => {
      expect(log.json(headers)).toBe(JSON.stringify(log.logged(headers)));
      expect(log.plainJson(headers)).toBe(JSON.stringify(log.logged(headers)));
    };
    // A small deterministic generator: the same sequence on every run.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const names = ["host", "accept", "x-api-key", "content-length", "x-note", "cookie", "x-b"];
    const valuesOf = ["a", "b", 'q"uote', "caf\u00e9", undefined, ["l", "m"]];
    let headers: Headers = { host: "h", accept: "*/*", "content-length": "12" };
    for (let round = 0; round < 2000; round++) {
      const change = next(4);
      const copy: Headers = { ...headers };
      const name = names[next(names.length)] as string;
      if (change === 0) delete copy[name];
      else if (change <= 2) copy[name] = valuesOf[next(valuesOf.length)] as Headers[string];
      headers = next(3) === 0 ? copy : Object.fromEntries(Object.entries(copy).reverse());
      check(headers);
      check({ ...headers }); // the same again (from what the last request kept)
    }
  });

  it("stays right when a shorter request changed a header and a longer one follows", () => {
    const log = headerLogging(() => false);
    const long = { a: "1", b: "2", c: "3", d: "4", e: "5" };
    expect(log.json(long)).toBe(JSON.stringify(long));
    const short = { a: "1", b: "changed", c: "3" };
    expect(log.json(short)).toBe(JSON.stringify(short));
    const longAgain = { ...long, b: "changed" };
    expect(log.json(longAgain)).toBe(JSON.stringify(longAgain));
    expect(log.json(short)).toBe(JSON.stringify(short));
  });

  it("stays right past the headers it keeps per place (over a thousand)", () => {
    const log = headerLogging(() => false);
    const many: Headers = { a: "1", b: "2", c: "3" };
    for (let i = 0; i < 1005; i++) many[`x-${i}`] = String(i);
    const few: Headers = { a: "1", b: "2", c: "3" };
    expect(log.json(few)).toBe(JSON.stringify(few));
    expect(log.json({ ...many, b: "changed" })).toBe(JSON.stringify({ ...many, b: "changed" }));
    expect(log.json({ ...few, b: "changed" })).toBe(JSON.stringify({ ...few, b: "changed" }));
    expect(log.json(few)).toBe(JSON.stringify(few));
  });
});

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
