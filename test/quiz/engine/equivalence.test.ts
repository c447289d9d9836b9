import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { convertNumeric, normalise, parseNumeric, sameValue } from "../../../src/quiz/engine/equivalence";
import type { FieldType, NumericUnit } from "../../../src/quiz/engine/types";

const RUNS = Number(process.env.FC_RUNS ?? 200);

/** Spellings that must read as the same value, and ones that must not. */
const EQUAL: readonly (readonly [FieldType, string, string])[] = [
  ["ip", "10.4.1.5", " 10.4.1.5 "],
  ["ip", "fd00::1", "FD00:0:0::1"],
  ["ip", "fd00::1", "fd00:0000:0000:0000:0000:0000:0000:0001"],
  ["ip", "2001:db8::a:0:0:1", "2001:DB8:0:0:a::1"],
  ["ip", "::1", "0:0:0:0:0:0:0:1"],
  ["ip", "::ffff:10.4.1.5", "::ffff:a04:105"],
  ["ip", "::1:0", "0:0:0:0:0:0:1:0"],
  ["ip-port", "10.4.1.5:8080", "10.4.1.5 : 8080"],
  ["ip-port", "10.4.1.5:8080", " 10.4.1.5:8080 "],
  ["ip-port", "10.4.1.5:8080", "10.4.1.5:08080"],
  ["ip-port", "[fd00::1]:80", "[FD00:0::1]:80"],
  ["ip-port", "[fd00::1]:80", "[ fd00::1 ] : 80"],
  ["cidr", "10.4.1.0/24", "10.4.1.9/24"],
  ["cidr", "10.4.0.0/16", "10.4.255.255/16"],
  ["cidr", "10.4.0.0/16", " 10.4.0.0 / 16 "],
  ["cidr", "0.0.0.0/0", "192.0.2.7/0"],
  ["cidr", "fd00:10:96::/112", "FD00:10:96::7/112"],
  ["cidr", "fd00:10:96::1:0/112", "FD00:10:96::1:7/112"],
  ["protocol", "tcp", "TCP"],
  ["protocol", "tcp", "6"],
  ["protocol", "udp", "17"],
  ["protocol", "udp", " Udp "],
  ["protocol", "sctp", "132"],
  ["protocol", "icmp", "1"],
  ["port", "80", "080"],
  ["port", "65535", " 65535 "],
  ["name", "KUBE-SERVICES", "kube-services"],
  ["name", "api.example.com", "API.Example.com."],
  ["name", "gfe", "  GFE "],
  ["name", "São Paulo", "sao paulo"],
  ["text", "SYN", " SYN "],
];

const DIFFERENT: readonly (readonly [FieldType, string, string])[] = [
  ["ip", "10.4.1.5", "10.4.1.50"],
  ["ip", "fd00::1", "fd00::10"],
  ["ip", "10.4.1.5", "::ffff:10.4.1.5"],
  ["ip-port", "10.4.1.5:8080", "10.4.1.5:80"],
  ["ip-port", "10.4.1.5:80", "10.4.1.6:80"],
  ["ip-port", "[fd00::1]:80", "[fd00::1:80]:80"],
  ["cidr", "10.4.0.0/16", "10.4.0.0/24"],
  ["cidr", "10.4.1.0/24", "10.4.2.0/24"],
  ["cidr", "fd00::/64", "fd00::/48"],
  ["protocol", "tcp", "udp"],
  ["protocol", "icmp", "58"],
  ["protocol", "6", "17"],
  ["port", "80", "8080"],
  ["name", "KUBE-SVC-A", "KUBE-SEP-A"],
  ["name", "example.com", "example.co"],
  ["text", "SYN", "syn"],
];

const MALFORMED: readonly (readonly [FieldType, string, RegExp])[] = [
  ["ip", "10.4.1.256", /256/],
  ["ip", "10.4.1", /four/],
  ["ip", "010.4.1.5", /leading zero/],
  ["ip", "fd00:::1", /IPv6/],
  ["ip", "fe80::1%eth0", /zone/],
  ["ip", "example.com", /IPv4/],
  ["ip-port", "10.4.1.5", /no port/],
  ["ip-port", "10.4.1.5:", /no port/],
  ["ip-port", "10.4.1.5:0", /1 to 65535/],
  ["ip-port", "10.4.1.5:65536", /1 to 65535/],
  ["ip-port", "fd00::1:80", /brackets/],
  ["ip-port", "[fd00::1]", /port/],
  ["ip-port", ":80", /address/],
  ["cidr", "10.4.0.0", /slash/],
  ["cidr", "10.4.0.0/33", /0 to 32/],
  ["cidr", "fd00::/129", /0 to 128/],
  ["cidr", "10.4.0.0/x", /prefix length/],
  ["protocol", "http", /protocol/],
  ["protocol", "7", /protocol/],
  ["port", "0", /1 to 65535/],
  ["port", "70000", /out of range/],
  ["port", "http", /not a number/],
  ["name", ".", /name/],
];

describe("normalise and sameValue", () => {
  it.each(EQUAL)("%s: %j equals %j", (type, a, b) => {
    expect(sameValue(type, a, b)).toBe(true);
    expect(sameValue(type, b, a)).toBe(true);
  });

  it.each(DIFFERENT)("%s: %j differs from %j", (type, a, b) => {
    expect(sameValue(type, a, b)).toBe(false);
    expect(sameValue(type, b, a)).toBe(false);
  });

  it.each(MALFORMED)("%s: %j cannot be read, and the message says why", (type, text, why) => {
    const read = normalise(type, text);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toMatch(why);
  });

  it("gives the canonical spelling", () => {
    expect(normalise("ip", " FD00:0:0::1 ")).toEqual({ ok: true, value: "fd00::1" });
    expect(normalise("ip-port", "[FD00::1] : 0080")).toEqual({ ok: true, value: "[fd00::1]:80" });
    expect(normalise("cidr", "10.4.1.9/24")).toEqual({ ok: true, value: "10.4.1.0/24" });
    expect(normalise("protocol", "6")).toEqual({ ok: true, value: "tcp" });
    expect(normalise("name", "API.example.com.")).toEqual({ ok: true, value: "api.example.com" });
  });

  it("says what was expected for an empty value", () => {
    expect(normalise("ip", "  ")).toEqual({ ok: false, message: "Expected an IPv4 or IPv6 address such as 10.4.1.5." });
  });

  it("reads every dotted quad it prints, and never throws", () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(normalise("ip", ip)).toEqual({ ok: true, value: ip });
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.constantFrom<FieldType>("ip", "ip-port", "cidr", "protocol", "port", "name", "text"), fc.string(), (type, text) => {
        const read = normalise(type, text);
        expect(read.ok ? read.value : read.message).toEqual(expect.any(String));
      }),
      { numRuns: RUNS },
    );
  });

  it("reads every IPv6 spelling fast-check makes, and reads its own canonical form back", () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const read = normalise("ip", ip);
        expect(read.ok).toBe(true);
        if (read.ok) {
          expect(sameValue("ip", ip.toUpperCase(), read.value)).toBe(true);
          expect(normalise("ip", read.value)).toEqual(read);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("parseNumeric", () => {
  const READS: readonly (readonly [string | number, NumericUnit, number])[] = [
    ["36", "ms", 36],
    [36, "ms", 36],
    ["36 ms", "ms", 36],
    ["36ms", "ms", 36],
    ["0.036 s", "ms", 36],
    ["36000 µs", "ms", 36],
    ["36000 μs", "ms", 36],
    ["36000us", "ms", 36],
    ["36 ms", "s", 0.036],
    ["36 ms", "us", 36000],
    ["1500", "bytes", 1500],
    ["1500 B", "bytes", 1500],
    ["1.5 KB", "bytes", 1500],
    ["1.5 kB", "bytes", 1500],
    ["1.5 KiB", "bytes", 1536],
    ["12000 bits", "bytes", 1500],
    ["0.2", "probability", 0.2],
    ["20%", "probability", 0.2],
    ["20 %", "probability", 0.2],
    ["1/5", "probability", 0.2],
    ["20", "percent", 20],
    ["20%", "percent", 20],
    ["1/5", "percent", 20],
    ["65,536", "count", 65536],
    ["2^8", "addresses", 256],
    ["256 addresses", "addresses", 256],
    ["3 hops", "count", 3],
    ["9500 km", "km", 9500],
    ["9500000 m", "km", 9500],
    ["1e3", "count", 1000],
  ];
  it.each(READS)("reads %j in %s as %d", (text, unit, value) => {
    const read = parseNumeric(text, unit);
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.value).toBe(value);
  });

  const REFUSES: readonly (readonly [string, NumericUnit, RegExp])[] = [
    ["36 km", "ms", /km measures a distance, but this answer is a time/],
    ["36 ms", "bytes", /ms measures a time, but this answer is a size/],
    ["1500 B", "ms", /measures a size/],
    ["20%", "ms", /measures a share/],
    ["1 kb", "bytes", /bits or bytes/],
    ["1.5", "probability", /between 0 and 1/],
    ["120%", "probability", /between 0 and 1/],
    ["1/0", "probability", /divides by zero/],
    ["1/5", "ms", /fraction/],
    ["2^8", "ms", /power/],
    ["thirty-six", "ms", /not a number/],
    ["", "ms", /Expected a number/],
    ["36 parsecs", "ms", /not a unit/],
  ];
  it.each(REFUSES)("refuses %j in %s", (text, unit, why) => {
    const read = parseNumeric(text, unit);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toMatch(why);
  });

  it("converts between units of one dimension only", () => {
    expect(convertNumeric(0.036, "s", "ms")).toBe(36);
    expect(convertNumeric(20, "percent", "probability")).toBe(0.2);
    expect(convertNumeric(36, "ms", "km")).toBeNull();
  });

  it("never throws, and a number it reads is finite", () => {
    const units: NumericUnit[] = ["ms", "us", "s", "bytes", "count", "addresses", "probability", "percent", "km"];
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double()), fc.constantFrom(...units), (input, unit) => {
        const read = parseNumeric(input, unit);
        if (read.ok) expect(Number.isFinite(read.value)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
