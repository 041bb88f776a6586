import { project } from "@mcpforge/config/vitest";

export default project("release-check");
