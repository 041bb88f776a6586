/**
 * The HTTP cold-start floor: plain `node:http` answering the same exchange by hand, importing
 * nothing else but its answer (Node's own start-up and its HTTP server). Prints its URL once
 * it listens.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { floorAnswer } from "./floor-answer.js";

const http = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const answer = floorAnswer(Buffer.concat(chunks).toString("utf8"));
    if (answer === undefined) {
      res.writeHead(202).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(answer);
  });
});
http.listen(0, "127.0.0.1", () => {
  const { port } = http.address() as AddressInfo;
  process.stdout.write(`http://127.0.0.1:${port}/mcp\n`);
});
