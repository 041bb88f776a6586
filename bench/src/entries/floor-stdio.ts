/**
 * The cold-start floor: a plain `node` process that answers the same stdio exchange by hand,
 * importing nothing but its answer (what is left is Node's own start-up).
 */
import { createInterface } from "node:readline";
import { floorAnswer } from "./floor-answer.js";

const rl = createInterface({ input: process.stdin });
rl.on("line", (line) => {
  if (!line.trim()) return;
  const answer = floorAnswer(line);
  if (answer !== undefined) process.stdout.write(`${answer}\n`);
});
