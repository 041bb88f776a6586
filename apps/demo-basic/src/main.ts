import { createDemoServer } from "./server.js";

await createDemoServer().run();
