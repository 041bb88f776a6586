import type { CheckRule, FindingComponent, RawFinding } from "../types.js";

interface Titled {
  name: string;
  title?: string | undefined;
  annotations?: { title?: string | undefined } | undefined;
}

function* duplicates(
  type: FindingComponent["type"],
  items: readonly Titled[],
): Generator<RawFinding> {
  const seen = new Map<string, string>();
  for (const item of items) {
    const title = (item.title ?? item.annotations?.title)?.trim();
    if (!title) continue;
    const key = title.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, item.name);
      continue;
    }
    yield {
      component: { type, name: item.name },
      message: `${type === "tool" ? "Tool" : "Prompt"} "${item.name}" has the title "${title}", like "${first}"; users cannot tell them apart.`,
      fix: "Give each one a distinct title that says what it does.",
    };
  }
}

/** Two tools (or two prompts) shown under the same title. */
export const duplicateTitle: CheckRule = {
  id: "duplicate-title",
  severity: "warning",
  summary: "tools and prompts have distinct titles",
  *check({ tools, prompts }) {
    yield* duplicates("tool", tools);
    yield* duplicates("prompt", prompts);
  },
};
