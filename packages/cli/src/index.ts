/// <reference types="node" preserve="true" />
export { type AppLike, isApp, type LoadedApp, loadApp } from "./load/load-app.js";
export { main } from "./main.js";
