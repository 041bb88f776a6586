import { project } from "@mcpforge/config/vitest";

// Without the preset's "module" and "import" conditions: prom-client loads @opentelemetry/api
// (for exemplars), whose "module" build is ESM with extensionless imports, which Node cannot
// load; and pg's own require("pg-pool") would get pg-pool's ESM build with "import".
const conditions = ["@mcpforge/source", "node", "default"];

export default project("health", {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@mcpforge/source"] } },
});
