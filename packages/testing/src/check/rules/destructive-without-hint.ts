import type { CheckRule } from "../types.js";

/** Verbs that make a tool name look destructive. */
const DESTRUCTIVE_VERBS = new Set([
  "delete",
  "del",
  "remove",
  "rm",
  "rmdir",
  "unlink",
  "drop",
  "destroy",
  "kill",
  "purge",
  "erase",
  "wipe",
  "truncate",
  "reset",
  "terminate",
  "revoke",
  "uninstall",
  "overwrite",
  "clear",
  "shutdown",
]);

/** The words of a name: `deleteUser`, `delete_user`, `delete-user.v2` → delete, user, (v2). */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[\s_.-]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
}

/** Tools whose name or handler looks destructive but that say nothing about it. */
export const destructiveWithoutHint: CheckRule = {
  id: "destructive-without-hint",
  severity: "warning",
  summary: "destructive-looking tools declare destructiveHint or readOnlyHint",
  *check({ tools, toolSites }) {
    for (const tool of tools) {
      const a = tool.annotations;
      if (a && (a.destructiveHint !== undefined || a.readOnlyHint !== undefined)) continue;
      const verb = words(tool.name).find((w) => DESTRUCTIVE_VERBS.has(w));
      const calls = toolSites.find((s) => s.name === tool.name)?.destructiveCalls ?? [];
      if (!verb && calls.length === 0) continue;
      const why = verb ? `its name contains "${verb}"` : `its handler calls ${calls.join(", ")}`;
      yield {
        component: { type: "tool", name: tool.name },
        message: `Tool "${tool.name}" looks destructive (${why}) but has neither destructiveHint nor readOnlyHint.`,
        fix: "Declare it: `annotations: { destructiveHint: true }` so clients ask before calling (or `readOnlyHint: true` if it changes nothing).",
      };
    }
  },
};
