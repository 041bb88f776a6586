import { describe, expect, it } from "vitest";
import { INSPECTOR_NODE, nodeAtLeast } from "./dev.js";

describe("nodeAtLeast", () => {
  it("compares major and minor", () => {
    expect(nodeAtLeast("20.20.2", INSPECTOR_NODE)).toBe(false);
    expect(nodeAtLeast("22.18.9", INSPECTOR_NODE)).toBe(false);
    expect(nodeAtLeast("22.19.0", INSPECTOR_NODE)).toBe(true);
    expect(nodeAtLeast("24.1.0", INSPECTOR_NODE)).toBe(true);
  });
});
