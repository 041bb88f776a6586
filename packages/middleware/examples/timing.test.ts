// The contract suite every middleware passes, run by vitest.

import { timing } from "@mcpforge/middleware/timing";
import { testMiddleware } from "@mcpforge/testing";

testMiddleware("timing", () => timing({ slowMs: 1000 }));
