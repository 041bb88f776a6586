#!/usr/bin/env node
import { main } from "./main.js";

const outcome = await main();
if (outcome !== "running") {
  // One-shot commands end here even if a loaded server left timers or sockets open.
  await new Promise<void>((done) => process.stdout.write("", () => done()));
  process.exit(outcome);
}
