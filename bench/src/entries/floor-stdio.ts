/**
 * The cold-start floor: a plain `node` process that answers the same stdio exchange by hand,
 * importing nothing (what is left is Node's own start-up).
 */
import { createInterface } from "node:readline";

const rl = createInterface({ input: process.stdin });
rl.on("line", (line) => {
  if (!line.trim()) return;
  const msg = JSON.parse(line) as {
    id?: number;
    method?: string;
    params?: { protocolVersion?: string; arguments?: { text?: unknown } };
  };
  if (msg.id === undefined) return;
  const result =
    msg.method === "initialize"
      ? {
          protocolVersion: msg.params?.protocolVersion,
          capabilities: { tools: {} },
          serverInfo: { name: "bench-floor", version: "1.0.0" },
        }
      : { content: [{ type: "text", text: String(msg.params?.arguments?.text) }] };
  process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", id: msg.id, result })}\n`);
});
