import { describe, expect, it } from "vitest";
import { parseVrpExport, VrpExportError } from "../../../src/sim/rpki/export";
import { formatVrp, makeVrp, VrpFieldError } from "../../../src/sim/rpki/vrp";
import { parseAsn } from "../../../src/sim/rpki/asn";

const problemsOf = (text: string) => {
  try {
    parseVrpExport(text);
  } catch (error) {
    if (error instanceof VrpExportError) return error.problems;
    throw error;
  }
  return [];
};

describe("VRP exports", () => {
  it("reads Routinator's JSON (ASN as text) and rpki-client's (ASN as a number), ignoring other members", () => {
    const routinator = '{"metadata":{"generated":0},"roas":[{ "asn": "AS1234", "prefix": "12.34.56.0/24", "maxLength": 24, "ta": "N/A" }],"aspas":[]}';
    const rpkiClient = '{"metadata":{},"roas":[{"asn":1234,"prefix":"12.34.56.0/24","maxLength":24,"ta":"ripe","expires":1733700000}]}';
    expect(parseVrpExport(routinator).vrps.map(formatVrp)).toEqual(["12.34.56.0/24-24 AS1234"]);
    expect(parseVrpExport(rpkiClient).vrps.map(formatVrp)).toEqual(["12.34.56.0/24-24 AS1234"]);
  });

  it("reads Routinator's csv and csvcompat (every field quoted), and rpki-client's extra Expires column", () => {
    const csv = "ASN,IP Prefix,Max Length,Trust Anchor\nAS1234,12.34.56.0/24,24,N/A\n";
    const compat = '"ASN","IP Prefix","Max Length","Trust Anchor"\n"AS1234","12.34.56.0/24","24","N/A"\n';
    const rpkiClient = "ASN,IP Prefix,Max Length,Trust Anchor,Expires\nAS1234,12.34.56.0/24,24,ripe,1733700000\n";
    for (const text of [csv, compat, rpkiClient]) expect(parseVrpExport(text).vrps.map(formatVrp)).toEqual(["12.34.56.0/24-24 AS1234"]);
  });

  it("names each bad CSV line and what is wrong", () => {
    const problems = problemsOf("ASN,IP Prefix,Max Length,Trust Anchor\nAS1,10.0.0.0/8,7,x\nAS1,10.0.0.0/8,8,x\nAS1,10.0.0.0/8\nAS1,10.0.0.300/8,8,x\n");
    expect(problems.map((p) => p.line)).toEqual([2, 4, 5]);
    expect(problems[0]!.message).toContain("shorter than the prefix length 8");
    expect(problems[1]!.message).toContain("2 fields");
    expect(problems[2]!.message).toContain("octet 4 is above 255");
  });

  it("names each bad JSON entry by index and line", () => {
    const text = `{
  "roas": [
    { "asn": "AS1", "prefix": "10.0.0.0/8", "maxLength": 8 },
    {
      "asn": "AS1",
      "prefix": "10.0.0.0/8", "maxLength": 40
    },
    { "asn": -5, "prefix": "10.0.0.0/8", "maxLength": 8 }, "text"
  ]
}`;
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.entry, p.line])).toEqual([[1, 4], [2, 8], [3, 8]]);
    expect(problems[1]!.message).toContain("asn -5");
  });

  it("reads a prefix with host bits as the canonical prefix and warns (as rtrlib stores 1.0.65.0/18)", () => {
    const read = parseVrpExport("ASN,IP Prefix,Max Length,Trust Anchor\nAS18144,1.0.65.0/18,18,apnic\n");
    expect(read.vrps.map(formatVrp)).toEqual(["1.0.64.0/18-18 AS18144"]);
    expect(read.warnings).toEqual([{ line: 2, message: "1.0.65.0/18 has host bits set; read as 1.0.64.0/18" }]);
  });

  it("refuses a file that is neither format", () => {
    expect(() => parseVrpExport("hello")).toThrow(/header/);
    expect(() => parseVrpExport("{ not json")).toThrow(/not valid JSON/);
    expect(() => parseVrpExport('{"vrps":[]}')).toThrow(/"roas" array/);
  });

  it("checks each VRP field and says which field is wrong", () => {
    const fieldOf = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error instanceof VrpFieldError ? error.field : "other";
      }
      return null;
    };
    expect(fieldOf(() => makeVrp("2001:db8::/32", 129, 1))).toBe("maxLength");
    expect(fieldOf(() => makeVrp("2001:db8::/32", 31, 1))).toBe("maxLength");
    expect(fieldOf(() => makeVrp("2001:db8:::/32", 32, 1))).toBe("prefix");
    expect(fieldOf(() => makeVrp("2001:db8::/32", 32, "AS-1"))).toBe("asn");
    expect(makeVrp("2001:db8::/32", undefined, "AS4294967295").maxLength).toBe(32);
  });

  it("reads ASNs as the tools write them: 0 to 4294967295 (RFC 6793), refusing asdot", () => {
    expect(parseAsn("AS0")).toBe(0);
    expect(parseAsn("as4294967295")).toBe(4294967295);
    expect(parseAsn(13335)).toBe(13335);
    expect(() => parseAsn("AS4294967296")).toThrow(/at most/);
    expect(() => parseAsn("1.10")).toThrow(/65546/);
    expect(() => parseAsn("0123")).toThrow();
  });
});
