/**
 * The sample chains: each case's verdict from the real engine (parse, WebCrypto signatures, checks) equals what the
 * case was built to show, and the metadata the labs read synchronously matches the generated cases.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { generateSamples, SAMPLE_AT, SAMPLE_IDS, SAMPLE_INFO, type SampleCase } from "../../../src/sim/tls/samples";
import { readChildren, readTlv } from "../../../src/sim/tls/x509/der";
import { parsePemBundle } from "../../../src/sim/tls/x509/parse";
import { verifyChain } from "../../../src/sim/tls/x509/verify";

/** The tags of a certificate's TBSCertificate fields: a version 1 certificate starts at the serial (INTEGER, 0x02), with no [0] version and no [3] extensions. */
const tbsFieldTags = (der: Uint8Array) => readChildren(readChildren(readTlv(der, 0).content)[0]!.content).map((f) => f.tag);

let cases: readonly SampleCase[] = [];
beforeAll(async () => {
  cases = await generateSamples();
}, 60_000);

describe("sample metadata", () => {
  it("has stable kebab-case ids, in lab order, each with one sentence and an expected verdict", () => {
    expect(new Set(SAMPLE_IDS).size).toBe(SAMPLE_IDS.length);
    for (const c of SAMPLE_INFO) {
      expect(c.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(c.at).toBe(SAMPLE_AT);
      expect(c.what).toMatch(/\.$/);
      expect(c.expected.result === "SUCCESS").toBe(c.expected.failedCheck === undefined);
    }
  });

  it("covers every kind of broken chain the labs teach (a failing sample for every check but parse) and five signature algorithms", () => {
    const checks = new Set(SAMPLE_INFO.map((c) => c.expected.failedCheck).filter(Boolean));
    expect([...checks].sort()).toEqual(["basic-constraints", "critical-extensions", "extended-key-usage", "key-usage", "name", "name-constraints", "path", "self-signed", "signature", "validity"]);
    expect(SAMPLE_IDS.filter((id) => id.startsWith("valid"))).toHaveLength(5);
  });
});

describe("generated samples", () => {
  it("generates one case per id, in order, with the metadata unchanged", () => {
    expect(cases.map((c) => c.id)).toEqual(SAMPLE_IDS);
    for (const c of cases) expect(SAMPLE_INFO.find((i) => i.id === c.id)).toEqual({ id: c.id, title: c.title, what: c.what, host: c.host, at: c.at, expected: c.expected });
  });

  it("is cached: a second call returns the same cases", async () => {
    expect(await generateSamples()).toBe(cases);
  });

  it.each(SAMPLE_IDS)("%s: the engine's verdict is the one the case was built to show", async (id) => {
    const c = cases.find((x) => x.id === id)!;
    const verdict = await verifyChain({ chainPem: c.chainPem, rootsPem: c.rootsPem, at: c.at, host: c.host });
    expect(verdict.result, verdict.message).toBe(c.expected.result);
    expect(verdict.failedCheck, verdict.message).toBe(c.expected.failedCheck);
  });

  it("uses the algorithms the valid cases claim", () => {
    const leafAlg = (id: string) => parsePemBundle(cases.find((c) => c.id === id)!.chainPem, id)[0]!.model;
    expect(leafAlg("valid")).toMatchObject({ publicKey: "ECDSA P-256", signatureAlgorithm: "ECDSA with SHA-256" });
    expect(leafAlg("valid-rsa-pkcs1")).toMatchObject({ publicKey: "RSA 2048", signatureAlgorithm: "RSA PKCS#1 v1.5 with SHA-256" });
    expect(leafAlg("valid-rsa-pss").signatureAlgorithm).toBe("RSASSA-PSS with SHA-256");
    expect(leafAlg("valid-ecdsa-p384")).toMatchObject({ publicKey: "ECDSA P-384", signatureAlgorithm: "ECDSA with SHA-384" });
    expect(leafAlg("valid-ed25519")).toMatchObject({ publicKey: "Ed25519", signatureAlgorithm: "Ed25519" });
  });

  it("builds the root and names the engine prints in RFC 4514 order", () => {
    const [root] = parsePemBundle(cases[0]!.rootsPem, "roots");
    expect(root!.model).toMatchObject({ subject: "CN=Packet Lab Sample Root, O=Packet Lab", issuer: "CN=Packet Lab Sample Root, O=Packet Lab", basicConstraints: { ca: true, pathLen: null, critical: true } });
    const chain = parsePemBundle(cases.find((c) => c.id === "name-constraints-violated")!.chainPem, "chain");
    expect(chain[1]!.model.nameConstraints).toEqual({ permitted: [{ type: "dns", value: "example.org" }], excluded: [] });
    const ip = parsePemBundle(cases.find((c) => c.id === "ip-san")!.chainPem, "chain");
    expect(ip[0]!.model.san).toEqual([{ type: "ip", value: "192.0.2.10" }]);
  });

  it("builds the broken cases from the fields they claim", () => {
    const model = (id: string, which: "chainPem" | "rootsPem", i = 0) => parsePemBundle(cases.find((c) => c.id === id)![which], id)[i]!;
    // A real version 1 certificate: version field absent (DER v1 is the DEFAULT), no extensions at all.
    const v1 = model("v1-root", "rootsPem");
    expect(tbsFieldTags(v1.der)).toEqual([0x02, 0x30, 0x30, 0x30, 0x30, 0x30]);
    expect(v1.cert.extensions).toHaveLength(0);
    expect(tbsFieldTags(model("valid", "rootsPem").der)[0]).toBe(0xa0);
    expect(v1.model).toMatchObject({ basicConstraints: null, keyUsage: null, subjectKeyId: null, subject: "CN=Packet Lab Version 1 Root, O=Packet Lab" });
    expect(model("expired-root", "rootsPem").model.notAfter < SAMPLE_AT).toBe(true);
    expect(model("leaf-key-cert-sign-only", "chainPem").model.keyUsage).toEqual(["keyCertSign"]);
    expect(model("key-agreement-only", "chainPem").model).toMatchObject({ keyUsage: ["keyAgreement"], publicKey: "ECDSA P-256" });
    expect(model("unknown-critical-extension", "chainPem").model.unknownCriticalExtensions).toEqual(["1.3.6.1.4.1.32473.1"]);
  });

  it("fails each broken case at the certificate it was built to break (the anchor numbered after the chain)", async () => {
    const at = async (id: string) => {
      const c = cases.find((x) => x.id === id)!;
      return (await verifyChain({ chainPem: c.chainPem, rootsPem: c.rootsPem, at: c.at, host: c.host })).certificate;
    };
    expect(await at("expired-root")).toBe(2);
    expect(await at("leaf-key-cert-sign-only")).toBe(0);
    expect(await at("key-agreement-only")).toBe(0);
    expect(await at("unknown-critical-extension")).toBe(0);
    expect(await at("expired-intermediate")).toBe(1);
  });
});
