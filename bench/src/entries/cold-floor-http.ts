/**
 * The HTTP cold-start floor: plain `node:http` answering the same exchange by hand, importing
 * nothing else (Node's own start-up and its HTTP server). Prints its URL once it listens.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const http = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const msg = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      id?: number;
      method?: string;
      params?: { protocolVersion?: string; arguments?: { text?: unknown } };
    };
    if (msg.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const result =
      msg.method === "initialize"
        ? {
            protocolVersion: msg.params?.protocolVersion,
            capabilities: { tools: {} },
            serverInfo: { name: "bench-floor", version: "1.0.0" },
          }
        : { content: [{ type: "text", text: String(msg.params?.arguments?.text) }] };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ jsonrpc: "2.0", id: msg.id, result }));
  });
});
http.listen(0, "127.0.0.1", () => {
  const { port } = http.address() as AddressInfo;
  process.stdout.write(`http://127.0.0.1:${port}/mcp\n`);
});
