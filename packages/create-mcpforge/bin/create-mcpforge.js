#!/usr/bin/env node
// `npm create mcpforge [dir] [--name x] [--no-install]` is `mcpforge init [dir] …`.
import { main } from "@mcpforge/cli";

const outcome = await main([
  process.argv[0] ?? "node",
  "create-mcpforge",
  "init",
  ...process.argv.slice(2),
]);
process.exit(outcome === "running" ? 0 : outcome);
