// examples/option-checks.ts — run with: npx tsx examples/option-checks.ts
import { createOptionChecks } from "@mcpforge/core/authoring";

const check = createOptionChecks("@acme/mcp-audit");

export function audit(options: { maxEntries?: number; onEntry?: (line: string) => void } = {}) {
  const opts = check.object("audit", options);
  check.positiveInteger("audit", "maxEntries", opts.maxEntries);
  check.function("audit", "onEntry", opts.onEntry);
  return opts;
}

try {
  audit({ maxEntries: 0 });
} catch (err) {
  console.log((err as Error).message);
  // @acme/mcp-audit: audit(): maxEntries must be a positive integer, got 0
}
