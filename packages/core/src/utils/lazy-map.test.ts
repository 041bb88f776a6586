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
