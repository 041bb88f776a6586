import type { UserWorkspaceConfig } from "vitest/config";

/** The shared vitest project preset (see vitest.preset.js). */
export declare function project(name: string, extra?: UserWorkspaceConfig): UserWorkspaceConfig;
