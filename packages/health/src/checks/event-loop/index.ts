export { type EventLoopCheckOptions, eventLoopCheck } from "./event-loop.js";
