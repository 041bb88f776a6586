/**
 * Dependency rules for the packages, checked by `pnpm lint` (dependency-cruiser).
 * See docs/architecture.md for the layers these rules keep.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "No import cycles in any package, not even type-only ones.",
      from: { path: "^packages/[^/]+/src/" },
      to: { circular: true },
    },
    {
      name: "core-layers-below-app",
      severity: "error",
      comment:
        "server/app.ts is the composition root: the HTTP, protocol, transport and middleware layers see small interfaces (HttpHost, ProtocolHost, StdioHost, SetupApi), never the app.",
      from: { path: "^packages/core/src/(http|protocol|transports|middleware)/" },
      to: { path: "^packages/core/src/server/" },
    },
    {
      name: "core-ground-imports-nothing-above",
      severity: "error",
      comment: "errors, schema, results, URI templates and utilities are the ground layer of core.",
      from: { path: "^packages/core/src/(errors|schema|results|resources|utils|internal)/" },
      to: {
        path: "^packages/core/src/(server|http|protocol|transports|middleware|handlers|registry|context)/",
      },
    },
    {
      name: "no-foreign-internals",
      severity: "error",
      comment:
        "A package uses another package through its published entry points (package name + exports map), never by a relative path into its files.",
      from: { path: "^(packages|apps|bench)/([^/]+)/" },
      to: { path: "^packages/([^/]+)/", pathNot: "^$1/$2/", dependencyTypes: ["local"] },
    },
    {
      name: "sdk-only-in-core-and-testing",
      severity: "error",
      comment:
        "@modelcontextprotocol/sdk is imported by @mcpforge/core and @mcpforge/testing only (tests may use the real SDK client).",
      from: {
        path: "^packages/[^/]+/src/",
        pathNot: ["^packages/(core|testing)/", "\\.test\\.ts$", "/test-utils/"],
      },
      to: { path: "@modelcontextprotocol/sdk" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "Every import resolves (a deep import into a package's internals does not).",
      from: { path: "^packages/[^/]+/src/" },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(packages|apps|bench|tooling)/[^/]+/dist/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.depcruise.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      // No "types": it comes first in our exports maps and points at dist/, which a clean checkout
      // does not have (and which would be cruised instead of the source when it does).
      conditionNames: ["@mcpforge/source", "import", "default"],
      extensions: [".ts", ".js", ".d.ts", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
