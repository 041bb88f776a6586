// Child process for error-masking.test.ts: masks with the default reporter (stderr).
import { createServer } from "@mcpforge/core";
import { createTestClient, textOf } from "@mcpforge/testing";
import { errorMasking } from "../errors/error-masking.js";

const app = createServer({ name: "child", version: "1" }).use(errorMasking());
app.tool("crash", { description: "Crashes" }, () => {
  throw new Error("secret detail");
});
const client = await createTestClient(app);
const result = await client.callToolRaw("crash", {});
process.stdout.write(`${JSON.stringify({ text: textOf(result) })}\n`);
await client.close();
