import { describe, expect, it } from "vitest";
import { dependantsOf, dependencyOrder } from "./order.js";

const n = (name: string, ...dependsOn: string[]) => ({ name, dependsOn });

describe("dependencyOrder", () => {
  it("puts dependencies first and keeps the given order otherwise", () => {
    expect(
      dependencyOrder([n("db", "secrets"), n("audit"), n("secrets"), n("reports", "db")]),
    ).toEqual({
      order: ["secrets", "db", "audit", "reports"],
      problems: [],
    });
  });

  it("names a missing dependency, and what depends on the plugin that lacks it", () => {
    const { order, problems } = dependencyOrder([n("db", "secrets"), n("reports", "db"), n("ok")]);
    expect(order).toEqual(["ok"]);
    expect(problems).toEqual([
      { name: "db", message: 'depends on "secrets", which is not registered' },
      {
        name: "reports",
        message:
          'depends on "db", which cannot be loaded (depends on "secrets", which is not registered)',
      },
    ]);
  });

  it("names every plugin of a cycle, with the cycle in full", () => {
    const { order, problems } = dependencyOrder([n("a", "b"), n("b", "c"), n("c", "a"), n("d")]);
    expect(order).toEqual(["d"]);
    const byName = Object.fromEntries(problems.map((p) => [p.name, p.message]));
    expect(byName.a).toBe("dependency cycle: a → b → c → a");
    expect(byName.b).toBe("dependency cycle: a → b → c → a");
    expect(byName.c).toBe("dependency cycle: a → b → c → a");
  });
});

describe("dependantsOf", () => {
  it("finds direct and indirect dependants, in the given order", () => {
    const nodes = [n("secrets"), n("db", "secrets"), n("x"), n("reports", "db")];
    expect(dependantsOf("secrets", nodes)).toEqual(["db", "reports"]);
    expect(dependantsOf("x", nodes)).toEqual([]);
  });
});
