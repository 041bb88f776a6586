import { isIPv4, isIPv6 } from "node:net";

type Range = readonly [base: number, bits: number, reason: string];

/** IPv4 ranges a server-side request must not reach (RFC 6890 special-purpose and private). */
const V4_BLOCKED: readonly Range[] = [
  [v4("0.0.0.0"), 8, "an unspecified (this-network) address"],
  [v4("10.0.0.0"), 8, "a private address"],
  [v4("100.64.0.0"), 10, "a shared (carrier-grade NAT) address"],
  [v4("127.0.0.0"), 8, "a loopback address"],
  [v4("169.254.0.0"), 16, "a link-local address"],
  [v4("172.16.0.0"), 12, "a private address"],
  [v4("192.0.0.0"), 24, "an IETF protocol address"],
  [v4("192.0.2.0"), 24, "a documentation address"],
  [v4("192.88.99.0"), 24, "a 6to4 relay address"],
  [v4("192.168.0.0"), 16, "a private address"],
  [v4("198.18.0.0"), 15, "a benchmarking address"],
  [v4("198.51.100.0"), 24, "a documentation address"],
  [v4("203.0.113.0"), 24, "a documentation address"],
  [v4("224.0.0.0"), 4, "a multicast address"],
  [v4("240.0.0.0"), 4, "a reserved or broadcast address"],
];

function v4(address: string): number {
  return address.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function inRange(value: number, base: number, bits: number): boolean {
  const size = 2 ** (32 - bits);
  return Math.floor(value / size) === Math.floor(base / size);
}

function classifyV4Number(value: number): string | undefined {
  for (const [base, bits, reason] of V4_BLOCKED) {
    if (inRange(value, base, bits)) return reason;
  }
  return undefined;
}

/**
 * The 16 bytes of an IPv6 address (zone id ignored), or undefined when it is not one.
 *
 * @example
 * parseIPv6("::ffff:127.0.0.1"); // Uint8Array [0, …, 0, 255, 255, 127, 0, 0, 1]
 */
export function parseIPv6(address: string): Uint8Array | undefined {
  const plain = address.replace(/%.*$/, "");
  if (!isIPv6(plain)) return undefined;
  let text = plain;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const n = v4(dotted[1]);
    const hi = Math.floor(n / 65536).toString(16);
    const lo = (n % 65536).toString(16);
    text = `${text.slice(0, -dotted[1].length)}${hi}:${lo}`;
  }
  const [head = "", tail] = text.split("::") as [string, string | undefined];
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array.from({ length: zeros }, () => "0"), ...tailGroups];
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  return bytes;
}

function prefixIs(bytes: Uint8Array, prefix: readonly number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[byte] ?? 0) & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

function embeddedV4(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at] ?? 0) * 2 ** 24 +
    (bytes[at + 1] ?? 0) * 2 ** 16 +
    (bytes[at + 2] ?? 0) * 2 ** 8 +
    (bytes[at + 3] ?? 0)
  );
}

function classifyV6(bytes: Uint8Array): string | undefined {
  // ::/96 (unspecified, loopback, IPv4-compatible) and ::ffff:0:0/96 (IPv4-mapped).
  if (prefixIs(bytes, [], 96)) {
    if (bytes.every((b, i) => (i < 15 ? b === 0 : b <= 1))) {
      return bytes[15] === 1 ? "a loopback address" : "an unspecified address";
    }
    return classifyV4Number(embeddedV4(bytes, 12)) ?? "an IPv4-compatible address";
  }
  if (prefixIs(bytes, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96)) {
    return classifyV4Number(embeddedV4(bytes, 12));
  }
  // 64:ff9b::/96 NAT64 embeds an IPv4 address; 64:ff9b:1::/48 is for local use.
  if (prefixIs(bytes, [0, 0x64, 0xff, 0x9b], 96)) return classifyV4Number(embeddedV4(bytes, 12));
  if (prefixIs(bytes, [0, 0x64, 0xff, 0x9b, 0, 1], 48)) return "a local-use NAT64 address";
  // 2002::/16 6to4 embeds an IPv4 address.
  if (prefixIs(bytes, [0x20, 0x02], 16)) {
    return classifyV4Number(embeddedV4(bytes, 2));
  }
  if (prefixIs(bytes, [0x20, 0x01, 0x0d, 0xb8], 32)) return "a documentation address";
  if (prefixIs(bytes, [0x20, 0x01, 0, 0], 32)) return "a Teredo tunnel address";
  if (prefixIs(bytes, [0x01, 0, 0, 0, 0, 0, 0, 0], 64)) return "a discard-only address";
  if (prefixIs(bytes, [0xfc], 7)) return "a unique-local address";
  if (prefixIs(bytes, [0xfe, 0x80], 10)) return "a link-local address";
  if (prefixIs(bytes, [0xfe, 0xc0], 10)) return "a site-local address";
  if (prefixIs(bytes, [0xff], 8)) return "a multicast address";
  return undefined;
}

/**
 * Why an IP address must not be the target of a server-side request (private, loopback,
 * link-local, unique-local, multicast, reserved, ...), or undefined when it is public.
 * Throws on a string that is not an IP address.
 *
 * @example
 * blockedAddressReason("10.1.2.3"); // "a private address"
 * blockedAddressReason("93.184.216.34"); // undefined
 */
export function blockedAddressReason(address: string): string | undefined {
  if (isIPv4(address)) return classifyV4Number(v4(address));
  const bytes = parseIPv6(address);
  if (bytes) return classifyV6(bytes);
  throw new Error(`Not an IP address: ${JSON.stringify(address.slice(0, 100))}`);
}
