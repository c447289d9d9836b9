import { describe, expect, it } from "vitest";
import {
  addressScope, attempt, certificateCovers, certificateNameCovers, cidrContains, cidrLast, cidrSize, cidrSplit, formatCidr,
  formatFiveTuple, formatIpv4, gkeMaxPodsPerNode, InputError, nodeRangeOf, parseCidr, parseFiveTuple, parseHostName, parseIpv4,
  parseNodePrefix, parsePort, reverseFiveTuple,
} from "../../src/sim/index";

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("IPv4 addresses", () => {
  it.each(["0.0.0.0", "10.4.1.5", "255.255.255.255", "34.98.10.5"])("round-trips %s", (text) => {
    expect(formatIpv4(parseIpv4(text))).toBe(text);
  });

  it("orders octets most significant first", () => {
    expect(parseIpv4("10.4.1.5")).toBe(10 * 2 ** 24 + 4 * 2 ** 16 + 1 * 2 ** 8 + 5);
  });

  it.each([
    ["10.4.1.300", "10.4.1.300: octet 4 is above 255"],
    ["10.4.1", "10.4.1: an IPv4 address has 4 octets separated by dots, this has 3"],
    ["10.4..5", "10.4..5: octet 3 is empty"],
    ["10.4.1.x", '10.4.1.x: octet 4 ("x") is not a number'],
    ["10.04.1.5", '10.04.1.5: octet 2 ("04") has a leading zero, which some systems read as octal'],
    ["1.2.3.4.5", "1.2.3.4.5: an IPv4 address has 4 octets separated by dots, this has 5"],
    ["", "(empty): no address given"],
    ["999.1.1.1", "999.1.1.1: octet 1 is above 255"],
  ])("rejects %s with a reason", (text, message) => {
    expect(reasonOf(() => parseIpv4(text))).toBe(message);
  });

  it("classifies scopes", () => {
    expect(addressScope(parseIpv4("10.4.1.5"))).toBe("private");
    expect(addressScope(parseIpv4("172.31.255.1"))).toBe("private");
    expect(addressScope(parseIpv4("172.32.0.1"))).toBe("public");
    expect(addressScope(parseIpv4("100.64.0.1"))).toBe("shared-cgnat");
    expect(addressScope(parseIpv4("198.51.100.23"))).toBe("documentation");
    expect(addressScope(parseIpv4("34.98.10.5"))).toBe("public");
  });

  it("folds errors into a result for UI code", () => {
    const bad = attempt(() => parseIpv4("1.2.3"));
    expect(bad.ok).toBe(false);
    const good = attempt(() => parseIpv4("1.2.3.4"));
    expect(good).toEqual({ ok: true, value: parseIpv4("1.2.3.4") });
  });
});

describe("CIDR blocks", () => {
  it("parses, sizes and bounds a block", () => {
    const pods = parseCidr("10.4.0.0/14");
    expect(formatCidr(pods)).toBe("10.4.0.0/14");
    expect(cidrSize(pods)).toBe(262144);
    expect(formatIpv4(cidrLast(pods))).toBe("10.7.255.255");
    expect(cidrSize(parseCidr("0.0.0.0/0"))).toBe(2 ** 32);
    expect(cidrSize(parseCidr("10.4.1.5/32"))).toBe(1);
  });

  it("tests membership at the edges", () => {
    const pods = parseCidr("10.4.0.0/14");
    expect(cidrContains(pods, parseIpv4("10.4.1.5"))).toBe(true);
    expect(cidrContains(pods, parseIpv4("10.7.255.255"))).toBe(true);
    expect(cidrContains(pods, parseIpv4("10.8.0.0"))).toBe(false);
    expect(cidrContains(pods, parseIpv4("10.3.255.255"))).toBe(false);
    expect(cidrContains(parseCidr("0.0.0.0/0"), parseIpv4("255.255.255.255"))).toBe(true);
  });

  it("splits into per-node ranges in address order", () => {
    expect(cidrSplit(parseCidr("10.4.0.0/22"), 24).map(formatCidr)).toEqual([
      "10.4.0.0/24", "10.4.1.0/24", "10.4.2.0/24", "10.4.3.0/24",
    ]);
    expect(cidrSplit(parseCidr("10.4.0.0/14"), 24)).toHaveLength(1024);
    expect(() => cidrSplit(parseCidr("10.4.0.0/24"), 22)).toThrow(InputError);
  });

  it.each([
    ["10.4.1.0/14", "10.4.1.0/14: host bits are set; the block is 10.4.0.0/14"],
    ["10.4.0.0", "10.4.0.0: a CIDR block needs a prefix length after a slash, e.g. 10.4.0.0/14"],
    ["10.4.0.0/33", "10.4.0.0/33: the prefix length 33 is above 32"],
    ["10.4.0.0/x", '10.4.0.0/x: the prefix length "x" is not a whole number from 0 to 32'],
    ["10.4.0.256/24", "10.4.0.256/24: octet 4 is above 255"],
  ])("rejects %s with a reason", (text, message) => {
    expect(reasonOf(() => parseCidr(text))).toBe(message);
  });
});

describe("ports and 5-tuples", () => {
  it("accepts the full port range and nothing else", () => {
    expect(parsePort("0")).toBe(0);
    expect(parsePort("65535")).toBe(65535);
    expect(reasonOf(() => parsePort("65536"))).toBe("65536: a port is a whole number from 0 to 65535");
    expect(() => parsePort("-1")).toThrow(InputError);
    expect(() => parsePort("80a")).toThrow(InputError);
  });

  it("parses, formats and reverses a flow", () => {
    const flow = parseFiveTuple("TCP 198.51.100.23:51514 -> 104.18.32.7:443");
    expect(formatFiveTuple(flow)).toBe("tcp 198.51.100.23:51514 → 104.18.32.7:443");
    expect(formatFiveTuple(reverseFiveTuple(flow))).toBe("tcp 104.18.32.7:443 → 198.51.100.23:51514");
    expect(reasonOf(() => parseFiveTuple("tcp 1.2.3.4:99999 -> 5.6.7.8:80"))).toBe("99999: a port is a whole number from 0 to 65535");
    expect(() => parseFiveTuple("1.2.3.4 to 5.6.7.8")).toThrow(InputError);
  });
});

describe("host names and certificate names", () => {
  it("normalises and validates a host name", () => {
    expect(parseHostName(" WWW.Example.COM. ")).toBe("www.example.com");
    expect(reasonOf(() => parseHostName("shop..example.com"))).toBe("shop..example.com: label 2 is empty");
    expect(reasonOf(() => parseHostName(`${"a".repeat(64)}.example.com`))).toContain("label 1 has 64 characters; the limit is 63");
    expect(reasonOf(() => parseHostName("example.123"))).toContain("cannot be all digits");
  });

  it("lets a wildcard stand for exactly one label", () => {
    expect(certificateNameCovers("*.example.com", "api.example.com")).toBe(true);
    expect(certificateNameCovers("*.example.com", "example.com")).toBe(false);
    expect(certificateNameCovers("*.example.com", "a.b.example.com")).toBe(false);
    expect(certificateNameCovers("*.example.com", "api.example.org")).toBe(false);
    expect(certificateCovers(["example.com", "*.example.com"], "example.com")).toBe(true);
  });
});

describe("GKE node ranges (one rule, shared by the scenario and the explorer)", () => {
  it("finds the node range holding an address", () => {
    const cluster = parseCidr("10.4.0.0/14");
    expect(nodeRangeOf(cluster, 24, parseIpv4("10.4.1.5"))).toEqual({ index: 1, range: "10.4.1.0/24" });
    expect(nodeRangeOf(cluster, 26, parseIpv4("10.4.1.70"))).toEqual({ index: 5, range: "10.4.1.64/26" });
    expect(nodeRangeOf(cluster, 24, parseIpv4("10.8.0.1"))).toBeNull();
    expect(gkeMaxPodsPerNode(24)).toBe(110);
    expect(gkeMaxPodsPerNode(28)).toBe(8);
    expect(reasonOf(() => parseNodePrefix("/29", cluster))).toContain("/29 is outside that");
  });
});
