export { type TcpCheckOptions, tcpCheck } from "./tcp.js";
