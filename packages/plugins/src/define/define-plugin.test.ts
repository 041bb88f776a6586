import { describe, expect, it } from "vitest";
import * as z from "zod";
import { definePlugin, isPlugin } from "./define-plugin.js";

describe("definePlugin", () => {
  it("returns a frozen, branded plugin", () => {
    const p = definePlugin({
      name: "com.acme.database",
      version: "1.0.0",
      dependsOn: ["secrets"],
      options: z.object({ url: z.string().url() }),
      setup() {},
    });
    expect(isPlugin(p)).toBe(true);
    expect(Object.isFrozen(p)).toBe(true);
    expect(p.dependsOn).toEqual(["secrets"]);
    expect(isPlugin({ name: "x", version: "1", setup() {} })).toBe(false);
  });

  it("checks the definition, naming the field", () => {
    const setup = () => {};
    expect(() => definePlugin({ name: "bad name", version: "1", setup })).toThrow(
      /@mcpforge\/plugins: definePlugin\(\): name must be/,
    );
    expect(() => definePlugin({ name: "a", version: "", setup })).toThrow(
      /version must be a non-empty string/,
    );
    expect(() => definePlugin({ name: "a", setup } as never)).toThrow(/needs a version/);
    expect(() => definePlugin({ name: "a", version: "1" } as never)).toThrow(
      /needs a setup function/,
    );
    expect(() => definePlugin({ name: "a", version: "1", dependsOn: "b" as never, setup })).toThrow(
      /dependsOn must be an array/,
    );
    expect(() => definePlugin({ name: "a", version: "1", dependsOn: ["a"], setup })).toThrow(
      /cannot depend on itself/,
    );
    expect(() =>
      definePlugin({ name: "a", version: "1", options: { url: "x" } as never, setup }),
    ).toThrow(/must be a zod schema/);
  });
});
