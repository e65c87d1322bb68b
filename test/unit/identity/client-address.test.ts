import { describe, expect, it } from "vitest";
import { clientAddress, trustedProxies } from "../../../server/shared/client-ip";
import { ConfigError, parseConfig } from "../../../server/shared/config";

/** Rate limits and the audit trail key on this address: behind a proxy, each person must get their own. */
describe("the client's address", () => {
  const proxies = trustedProxies(["10.0.0.0/8", "192.168.1.5", "fd00::/8", "2001:db8::1"]);

  it("is the TCP peer when nothing is trusted, whatever X-Forwarded-For claims", () => {
    const none = trustedProxies([]);
    expect(clientAddress("203.0.113.9", "198.51.100.1", none)).toBe("203.0.113.9");
    expect(clientAddress("10.0.0.2", "198.51.100.1", none)).toBe("10.0.0.2");
  });

  it("ignores X-Forwarded-For sent straight by a client that is not a trusted proxy", () => {
    expect(clientAddress("203.0.113.9", "10.0.0.3, 198.51.100.1", proxies)).toBe("203.0.113.9");
  });

  it("takes the right-most address a trusted proxy vouched for, so people behind one proxy get separate buckets", () => {
    expect(clientAddress("10.0.0.2", "198.51.100.1", proxies)).toBe("198.51.100.1");
    expect(clientAddress("10.0.0.2", "198.51.100.2", proxies)).toBe("198.51.100.2");
    // A spoofed entry on the left is what the client sent; the proxies appended the real one after it.
    expect(clientAddress("10.0.0.2", "1.2.3.4, 198.51.100.1", proxies)).toBe("198.51.100.1");
    // A chain of trusted proxies is walked back to the first address that is not one.
    expect(clientAddress("10.0.0.2", "1.2.3.4, 198.51.100.1, 192.168.1.5, 10.9.9.9", proxies)).toBe("198.51.100.1");
    expect(clientAddress("10.0.0.2", ["1.2.3.4, 198.51.100.1", "10.1.1.1"], proxies)).toBe("198.51.100.1");
    expect(clientAddress("10.0.0.2", "198.51.100.1:51234", proxies)).toBe("198.51.100.1");
  });

  it("stops at a malformed entry rather than believing what lies beyond it", () => {
    expect(clientAddress("10.0.0.2", "198.51.100.1, not-an-ip", proxies)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", "not-an-ip, 10.0.0.3", proxies)).toBe("10.0.0.3");
    expect(clientAddress("10.0.0.2", "", proxies)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", undefined, proxies)).toBe("10.0.0.2");
  });

  it("handles IPv6 peers, proxies and clients", () => {
    expect(clientAddress("fd00::1", "2001:db8:abcd::7", proxies)).toBe("2001:db8:abcd::7");
    expect(clientAddress("2001:db8::1", "[2001:db8:abcd::7]:443, fd12::9", proxies)).toBe("2001:db8:abcd::7");
    expect(clientAddress("2001:db8::2", "198.51.100.1", proxies)).toBe("2001:db8::2");
  });

  it("treats IPv4-mapped IPv6 addresses (dual-stack sockets) as the IPv4 address", () => {
    expect(clientAddress("::ffff:10.0.0.2", "198.51.100.1", proxies)).toBe("198.51.100.1");
    expect(clientAddress("::ffff:10.0.0.2", "::ffff:198.51.100.1, ::ffff:192.168.1.5", proxies)).toBe("198.51.100.1");
    expect(clientAddress("::ffff:203.0.113.9", "198.51.100.1", proxies)).toBe("203.0.113.9");
  });

  it("is everyone's own when every hop is trusted: the left-most", () => {
    expect(clientAddress("10.0.0.2", "10.0.0.9, 192.168.1.5", proxies)).toBe("10.0.0.9");
  });
});

describe("SLIPWAY_TRUSTED_PROXIES", () => {
  it("accepts IPs and CIDR ranges of both families", () => {
    const { trustedProxies: parsed } = parseConfig({ SLIPWAY_TRUSTED_PROXIES: " 10.0.0.0/8, 192.168.1.5,fd00::/8 ,::1" });
    expect(parsed).toEqual(["10.0.0.0/8", "192.168.1.5", "fd00::/8", "::1"]);
    expect(parseConfig({}).trustedProxies).toEqual([]);
  });

  it("stops Slipway with a message naming a bad entry", () => {
    for (const bad of ["10.0.0.0/33", "proxy.internal", "10.0.0/8", "fd00::/129", "10.0.0.1/8/2", "10.0.0.1/x"]) {
      expect(() => parseConfig({ SLIPWAY_TRUSTED_PROXIES: `10.0.0.1,${bad}` }), bad).toThrow(ConfigError);
      expect(() => parseConfig({ SLIPWAY_TRUSTED_PROXIES: bad }), bad).toThrow(`SLIPWAY_TRUSTED_PROXIES: "${bad}" is not an IP address or CIDR range`);
    }
  });
});
