import { project } from "@mcpforge/config/vitest";

// Without the preset's "module" condition: prom-client loads @opentelemetry/api (for
// exemplars), whose "module" build is ESM with extensionless imports, which Node cannot load.
const conditions = ["@mcpforge/source", "node", "import", "default"];

export default project("health", {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@mcpforge/source"] } },
});
