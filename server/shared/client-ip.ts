import "server-only";
import { BlockList, isIP } from "node:net";

/** The header the custom server sets to the client's address (it drops any value a client sent). */
export const clientIpHeader = "x-slipway-client-ip";

/** "::ffff:10.0.0.1" (how a dual-stack socket reports an IPv4 peer) is judged and reported as "10.0.0.1". */
function canonical(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address.toLowerCase();
}

/** One X-Forwarded-For entry as an address: tolerates "[v6]:port", "v4:port" and a zone-less v6; undefined if not an IP. */
function entryAddress(entry: string): string | undefined {
  let text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  return isIP(text) ? canonical(text) : undefined;
}

/** Parses one `SLIPWAY_TRUSTED_PROXIES` entry ("10.0.0.0/8", "fd00::/8", "203.0.113.7"); undefined when invalid. */
export function parseProxyEntry(entry: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | undefined {
  const [rawAddress, rawPrefix, extra] = entry.trim().split("/");
  if (extra !== undefined || !rawAddress) return undefined;
  const address = rawPrefix === undefined ? canonical(rawAddress) : rawAddress.toLowerCase();
  const version = isIP(address);
  if (!version) return undefined;
  const max = version === 4 ? 32 : 128;
  if (rawPrefix !== undefined && !/^\d{1,3}$/.test(rawPrefix)) return undefined;
  const prefix = rawPrefix === undefined ? max : Number(rawPrefix);
  if (prefix > max) return undefined;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

export type TrustedProxies = { has(address: string): boolean };

/** The trusted proxies as a set of subnets; entries are validated in the env schema before they reach here. */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  let any = false;
  for (const entry of entries) {
    const parsed = parseProxyEntry(entry);
    if (!parsed) throw new Error(`not an IP address or CIDR range: ${entry}`);
    list.addSubnet(parsed.address, parsed.prefix, parsed.family);
    any = true;
  }
  return {
    has(address: string) {
      if (!any) return false;
      const canon = canonical(address);
      const version = isIP(canon);
      return version !== 0 && list.check(canon, version === 4 ? "ipv4" : "ipv6");
    },
  };
}

/**
 * The client's address for rate limits and the audit trail. X-Forwarded-For is believed only when the TCP peer is a
 * trusted proxy, and then only as far as trusted proxies wrote it: the right-most address that is not itself a
 * trusted proxy is the client (anything left of it is whatever the client chose to send).
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | readonly string[] | undefined, trusted: TrustedProxies): string {
  if (!peer) return "";
  let client = canonical(peer);
  if (!trusted.has(client) || forwardedFor === undefined) return client;
  const hops = (typeof forwardedFor === "string" ? [forwardedFor] : forwardedFor).join(",").split(",");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = entryAddress(hops[i]!);
    // A malformed entry was not written by a trusted proxy: stop at the last hop one of them vouched for.
    if (!hop) return client;
    client = hop;
    if (!trusted.has(hop)) return client;
  }
  return client;
}
