import { project } from "@mcpforge/config/vitest";

// Every test starts the cli (and often a server) as child processes: give them room on 2 cores.
export default project("cli", { test: { testTimeout: 60_000 } });
