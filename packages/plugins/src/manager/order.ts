/** A node of the dependency graph: a plugin name and the names it depends on. */
export interface GraphNode {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/** A plugin that cannot be ordered, and why. */
export interface GraphProblem {
  readonly name: string;
  readonly message: string;
}

/**
 * Orders plugins so each comes after its dependencies (stable: otherwise in the given order).
 * Plugins with a missing dependency, in a cycle, or depending on one of those are reported as
 * problems (a cycle is named in full: `a → b → a`) and left out of the order.
 *
 * @example
 * dependencyOrder([{ name: "db", dependsOn: ["secrets"] }, { name: "secrets", dependsOn: [] }]);
 * // { order: ["secrets", "db"], problems: [] }
 */
export function dependencyOrder(nodes: readonly GraphNode[]): {
  order: string[];
  problems: GraphProblem[];
} {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const order: string[] = [];
  const problems = new Map<string, string>();
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];

  const visit = (name: string): boolean => {
    if (state.get(name) === "done") return !problems.has(name);
    if (state.get(name) === "visiting") {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      const message = `dependency cycle: ${cycle.join(" → ")}`;
      for (const member of cycle) if (!problems.has(member)) problems.set(member, message);
      return false;
    }
    const node = byName.get(name) as GraphNode;
    state.set(name, "visiting");
    stack.push(name);
    let ok = true;
    for (const dep of node.dependsOn) {
      if (!byName.has(dep)) {
        if (!problems.has(name)) problems.set(name, `depends on "${dep}", which is not registered`);
        ok = false;
        continue;
      }
      if (!visit(dep)) {
        if (!problems.has(name))
          problems.set(name, `depends on "${dep}", which cannot be loaded (${problems.get(dep)})`);
        ok = false;
      }
    }
    stack.pop();
    state.set(name, "done");
    if (ok && !problems.has(name)) order.push(name);
    return ok && !problems.has(name);
  };

  for (const node of nodes) visit(node.name);
  return { order, problems: [...problems].map(([name, message]) => ({ name, message })) };
}

/**
 * Every plugin that depends on `name`, directly or not, in the given order.
 *
 * @example
 * const nodes = [
 *   { name: "secrets", dependsOn: [] },
 *   { name: "db", dependsOn: ["secrets"] },
 *   { name: "reports", dependsOn: ["db"] },
 * ];
 * dependantsOf("secrets", nodes); // ["db", "reports"]
 */
export function dependantsOf(name: string, nodes: readonly GraphNode[]): string[] {
  const found = new Set<string>([name]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of nodes) {
      if (found.has(n.name)) continue;
      if (n.dependsOn.some((d) => found.has(d))) {
        found.add(n.name);
        grew = true;
      }
    }
  }
  found.delete(name);
  return nodes.map((n) => n.name).filter((n) => found.has(n));
}
