/**
 * In-process calls: the raw SDK `McpServer` and the SDK `Client` over
 * `InMemoryTransport.createLinkedPair()`. `node sdk-inproc.js <seconds>`.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { arg } from "./child.js";
import { timeCalls } from "./inproc.js";
import { sdkTools } from "./tools.js";

const seconds = Number(arg(0, "3"));

const server = sdkTools(new McpServer({ name: "bench-sdk", version: "1.0.0" }));

const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
await server.connect(serverSide);
const client = new Client({ name: "bench-client", version: "0.0.0" });
await client.connect(clientSide);
await timeCalls((text) => client.callTool({ name: "echo", arguments: { text } }), seconds);
await client.close();
process.exit(0);
