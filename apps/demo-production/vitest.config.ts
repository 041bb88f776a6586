import { project } from "@mcpforge/config/vitest";

export default project("demo-production");
