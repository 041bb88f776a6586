// The quality checker over a server and its source files: no findings.
import { fileURLToPath } from "node:url";
import { checkServer } from "@mcpforge/testing";
import { expect, it } from "vitest";
import app from "./notes-server.js";

it("passes the quality checker", async () => {
  const source = fileURLToPath(new URL("notes-server.ts", import.meta.url));
  const report = await checkServer(app, { source });
  expect(report.findings).toEqual([]);
});
