export { type HttpCheckOptions, httpCheck } from "./http.js";
