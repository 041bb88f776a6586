import { project } from "@mcpforge/config/vitest";

// Without the preset's "module" and "import" conditions: pg's own require("pg-pool") would get
// pg-pool's ESM build with "import", and @opentelemetry/api's "module" build uses extensionless
// imports Node cannot load.
const conditions = ["@mcpforge/source", "node", "default"];

export default project("demo-production", {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@mcpforge/source"] } },
  // The suites share one PostgreSQL and one Redis: run the files one after another.
  test: { fileParallelism: false },
});
