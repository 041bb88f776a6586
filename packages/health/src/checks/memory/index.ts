export { type HeapCheckOptions, heapCheck, type RssCheckOptions, rssCheck } from "./memory.js";
