import { describe, expect, it } from "vitest";
import { LazyMap } from "./lazy-map.js";

describe("LazyMap", () => {
  it("behaves as a map and empties itself", () => {
    const m = new LazyMap<string, number>();
    expect(m.size).toBe(0);
    expect(m.get("a")).toBeUndefined();
    expect(m.delete("a")).toBe(false);
    m.set("a", 1).set("b", 2);
    expect(m.has("a")).toBe(true);
    expect(m.size).toBe(2);
    expect(m.values()).toEqual([1, 2]);
    for (const v of m.values()) m.delete(v === 1 ? "a" : "b");
    expect(m.size).toBe(0);
    m.set("c", 3);
    m.clear();
    expect(m.has("c")).toBe(false);
  });
});

describe("LazyMap with one entry in fields", () => {
  it("keeps insertion order and replaces a key's value when it grows and shrinks", () => {
    const m = new LazyMap<string, number>();
    m.set("a", 1).set("a", 2);
    expect(m.size).toBe(1);
    expect(m.get("a")).toBe(2);
    expect(m.get("b")).toBeUndefined();
    expect(m.has("b")).toBe(false);
    expect(m.delete("b")).toBe(false);
    m.set("b", 3).set("c", 4);
    expect(m.values()).toEqual([2, 3, 4]);
    expect(m.delete("a")).toBe(true);
    expect(m.values()).toEqual([3, 4]);
    m.delete("b");
    m.delete("c");
    expect(m.size).toBe(0);
    m.set("d", 5);
    expect(m.values()).toEqual([5]);
    m.clear();
    expect(m.size).toBe(0);
    expect(m.get("d")).toBeUndefined();
  });

  it("compares keys as a Map does", () => {
    const m = new LazyMap<number, string>();
    m.set(Number.NaN, "nan");
    expect(m.get(Number.NaN)).toBe("nan");
    m.set(0, "zero");
    expect(m.get(-0)).toBe("zero");
    const one = new LazyMap<number, string>().set(0, "zero");
    expect(one.has(-0)).toBe(true);
    expect(one.delete(-0)).toBe(true);
    expect(one.size).toBe(0);
  });
});
