// A plugin module, as a package (or a file next to the config) would ship it.
import { definePlugin } from "@mcpforge/plugins";
import * as z from "zod";

export default definePlugin({
  name: "greeter",
  version: "1.0.0",
  options: z.object({ greeting: z.string().default("Hello"), excited: z.coerce.boolean() }),
  setup(api, { greeting, excited }) {
    api.tool(
      "greet",
      { description: "Greets someone", input: { name: z.string().max(100) } },
      ({ name }) => `${greeting}, ${name}${excited ? "!" : "."}`,
    );
  },
});
