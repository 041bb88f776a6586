/**
 * The in-process floor: the same SDK `Client` over `InMemoryTransport.createLinkedPair()`, but
 * the server side is a bare function that writes the answer (no server framework at all).
 * What is left is the client's and the transport's own cost. `node floor-inproc.js <seconds>`.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { arg } from "./child.js";
import { timeCalls } from "./inproc.js";

const seconds = Number(arg(0, "3"));

const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
serverSide.onmessage = (message: JSONRPCMessage) => {
  if (!("method" in message) || !("id" in message)) return;
  const params = (message.params ?? {}) as {
    protocolVersion?: string;
    arguments?: { text?: unknown };
  };
  const result =
    message.method === "initialize"
      ? {
          protocolVersion: params.protocolVersion,
          capabilities: { tools: {} },
          serverInfo: { name: "bench-floor", version: "1.0.0" },
        }
      : message.method === "tools/call"
        ? { content: [{ type: "text", text: String(params.arguments?.text) }] }
        : {};
  void serverSide.send({ jsonrpc: "2.0", id: message.id, result } as JSONRPCMessage);
};
await serverSide.start();
const client = new Client({ name: "bench-client", version: "0.0.0" });
await client.connect(clientSide);
await timeCalls((text) => client.callTool({ name: "echo", arguments: { text } }), seconds);
await client.close();
process.exit(0);
