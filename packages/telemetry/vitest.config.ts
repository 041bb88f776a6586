import { project } from "@mcpforge/config/vitest";

// Without the preset's "module" condition: @opentelemetry/api's "module" build is ESM with
// extensionless imports, which Node cannot load; its "default" build is what Node runs.
const conditions = ["@mcpforge/source", "node", "import", "default"];

export default project("telemetry", {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@mcpforge/source"] } },
});
