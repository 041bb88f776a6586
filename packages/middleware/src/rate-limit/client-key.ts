import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

/** Which proxy headers to believe: none (`false`), all (`true`), or this many proxy hops. */
export type TrustProxy = boolean | number;

/**
 * An IP address in one spelling: IPv4-mapped IPv6 becomes IPv4, IPv6 is lower-cased, a port
 * or brackets are removed. Undefined when the text is not an IP address.
 *
 * @example
 * normalizeIp("::ffff:192.0.2.1"); // "192.0.2.1"
 * normalizeIp("[2001:DB8::1]:443"); // "2001:db8::1"
 */
export function normalizeIp(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let s = text.trim();
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) s = s.slice(1, -1);
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed?.[1] !== undefined) s = bracketed[1];
  else {
    const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(s);
    if (v4WithPort?.[1] !== undefined) s = v4WithPort[1];
  }
  const zone = s.indexOf("%");
  if (zone !== -1) s = s.slice(0, zone);
  const kind = isIP(s);
  if (kind === 4) return s;
  if (kind !== 6) return undefined;
  s = s.toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (mapped?.[1] !== undefined && isIP(mapped[1]) === 4) return mapped[1];
  return s;
}

/** Peer addresses already normalized: a server sees the same few again and again. */
const peers = new Map<string, string | undefined>();
const PEERS_KEPT = 1000;

/** {@link normalizeIp} of a socket's peer address, remembered. */
function peerIp(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  if (peers.has(address)) return peers.get(address);
  const ip = normalizeIp(address);
  if (peers.size >= PEERS_KEPT) peers.clear();
  peers.set(address, ip);
  return ip;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** The `for=` values of a `Forwarded` header (RFC 7239), nearest proxy last. */
function forwardedFor(value: string): string[] {
  const out: string[] = [];
  for (const element of value.split(",")) {
    let found = "";
    for (const pair of element.split(";")) {
      const eq = pair.indexOf("=");
      if (eq === -1) continue;
      if (pair.slice(0, eq).trim().toLowerCase() === "for") found = pair.slice(eq + 1).trim();
    }
    out.push(found);
  }
  return out;
}

/**
 * The address of the client of an HTTP request. Without `trustProxy` it is the socket's
 * peer address; headers are ignored. With `trustProxy: true` it is the left-most address of
 * `X-Forwarded-For` (else of `Forwarded`); with a number `n` it is the address `n` hops
 * before the socket's peer (the one the outermost of your `n` proxies saw), which clients
 * cannot forge by sending their own header.
 *
 * @example
 * clientIp(req, 1); // behind one load balancer
 */
export function clientIp(req: IncomingMessage, trustProxy: TrustProxy = false): string | undefined {
  const socketIp = peerIp(req.socket?.remoteAddress);
  if (trustProxy === false || trustProxy === 0) return socketIp;
  const xff = headerValue(req, "x-forwarded-for");
  let hops: string[] = [];
  if (xff !== undefined && xff.trim() !== "") hops = xff.split(",");
  else {
    const forwarded = headerValue(req, "forwarded");
    if (forwarded !== undefined && forwarded.trim() !== "") hops = forwardedFor(forwarded);
  }
  const chain = [...hops.map((h) => normalizeIp(h)), socketIp];
  const start = trustProxy === true ? 0 : Math.max(0, chain.length - 1 - trustProxy);
  // An unusable entry (`unknown`, an obfuscated name) moves the choice towards the trusted side.
  for (let i = start; i < chain.length; i++) {
    const ip = chain[i];
    if (ip !== undefined) return ip;
  }
  return undefined;
}
