/**
 * validatePath over hand-built models: one case per rule of RFC 5280 §6 the engine applies, the failure it must name,
 * then properties that hold for any chain (adding an unrelated certificate never breaks a success; a time outside
 * any certificate's validity always fails validity; the failing certificate is on the path).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keyIdSignatures, makeCertModel } from "../../../../src/sim/tls/x509/model";
import { validatePath } from "../../../../src/sim/tls/x509/validate";
import type { CertModel } from "../../../../src/sim/tls/x509/types";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const AT = "2026-06-01T00:00:00Z";
const HOST = "www.example.com";
const ca = { basicConstraints: { ca: true, pathLen: null, critical: true }, keyUsage: ["keyCertSign", "cRLSign"] } as const;

const root = makeCertModel({ subject: "CN=Test Root", issuer: "CN=Test Root", ...ca, notBefore: "2020-01-01T00:00:00Z", notAfter: "2040-01-01T00:00:00Z" });
const inter = makeCertModel({ subject: "CN=Test Intermediate", issuer: "CN=Test Root", ...ca, basicConstraints: { ca: true, pathLen: 0, critical: true }, notBefore: "2024-01-01T00:00:00Z", notAfter: "2030-01-01T00:00:00Z" });
function leafOf(fields: Partial<CertModel> & { readonly key?: string; readonly issuerKey?: string } = {}): CertModel {
  return makeCertModel({
    subject: `CN=${HOST}`,
    issuer: "CN=Test Intermediate",
    san: [{ type: "dns", value: HOST }],
    keyUsage: ["digitalSignature"],
    extendedKeyUsage: ["serverAuth"],
    basicConstraints: { ca: false, pathLen: null, critical: true },
    ...fields,
  });
}
const leaf = leafOf();
const sig = keyIdSignatures();
const run = (chain: CertModel[], roots: CertModel[] = [root], extra: { at?: string; host?: string; signatureOk?: typeof sig } = {}) =>
  validatePath({ chain, roots, at: extra.at ?? AT, host: extra.host ?? HOST, signatureOk: extra.signatureOk ?? sig });

describe("validatePath: the path", () => {
  it("accepts leaf → intermediate → root with every check passing, in the documented order", () => {
    const v = run([leaf, inter]);
    expect(v.result).toBe("SUCCESS");
    expect(v.path.map((e) => [e.source, e.index])).toEqual([["chain", 0], ["chain", 1], ["roots", 0]]);
    const order = [...new Set(v.checks.map((c) => c.check))];
    expect(order).toEqual(["path", "signature", "validity", "basic-constraints", "key-usage", "extended-key-usage", "name-constraints", "name"]);
    expect(v.checks.every((c) => c.ok && /^(RFC|EKU)/.test(c.rule))).toBe(true);
    expect(v.message).toMatch(/^SUCCESS/);
  });

  it("finds intermediates in any order, ignores extras, and prefers the trust anchor over a copy of the root in the chain", () => {
    const stranger = makeCertModel({ subject: "CN=Unrelated CA", issuer: "CN=Unrelated CA", ...ca });
    const v = run([leaf, stranger, root, inter]);
    expect(v.result).toBe("SUCCESS");
    expect(v.path.map((e) => e.source)).toEqual(["chain", "chain", "roots"]);
  });

  it("names the missing issuer (path)", () => {
    const v = run([leaf]);
    expect(v).toMatchObject({ result: "FAILURE", failedCheck: "path", certificate: 0 });
    expect(v.message).toContain('issuer "CN=Test Intermediate"');
  });

  it("calls a path ending at a self-signed certificate that is not a trust anchor an untrusted root", () => {
    const other = makeCertModel({ subject: "CN=Other Root", issuer: "CN=Other Root", ...ca });
    const v = run([leaf, inter, root], [other]);
    expect(v).toMatchObject({ result: "FAILURE", failedCheck: "path", certificate: 2 });
    expect(v.message).toContain("untrusted root");
  });

  it("fails a self-signed leaf that is not a root with the self-signed check, and accepts it once it is a root", () => {
    const self = leafOf({ issuer: `CN=${HOST}` });
    expect(run([self])).toMatchObject({ result: "FAILURE", failedCheck: "self-signed", certificate: 0 });
    expect(run([self], [self]).result).toBe("SUCCESS");
  });

  it("fails a forged signature (right issuer name, wrong key) with the signature check", () => {
    const v = run([leaf, inter], [root], { signatureOk: keyIdSignatures([leaf.fingerprint]) });
    expect(v).toMatchObject({ result: "FAILURE", failedCheck: "signature", certificate: 0 });
    expect(v.message).toContain("does not verify");
  });

  it("backtracks: an issuer whose key fails is skipped for one with the same name that verifies", () => {
    const decoy = makeCertModel({ subject: "CN=Test Intermediate", issuer: "CN=Test Root", ...ca, key: "decoy" });
    const looseLeaf = { ...leaf, authorityKeyId: null };
    // No key identifiers to tell them apart: only the signature decides, and the decoy (tried first) fails it.
    const signatureOk = (c: CertModel, i: CertModel) => (c === looseLeaf ? i.spkiSha256 === inter.spkiSha256 : sig(c, i));
    const v = run([looseLeaf, decoy, inter], [root], { signatureOk });
    expect(v.result).toBe("SUCCESS");
    expect(v.path[1]!.index).toBe(2);
  });

  it("backtracks past an anchored path that fails a check (expired cross-signed intermediate) to one that passes", () => {
    const oldInter = makeCertModel({ ...inter, notAfter: "2025-01-01T00:00:00Z", fingerprint: "old" });
    expect(run([leaf, oldInter, inter]).result).toBe("SUCCESS");
  });

  it("does not loop on a cycle of cross-signed CAs", () => {
    const a = makeCertModel({ subject: "CN=A", issuer: "CN=B", ...ca });
    const b = makeCertModel({ subject: "CN=B", issuer: "CN=A", ...ca });
    const l = leafOf({ issuer: "CN=A" });
    expect(run([l, a, b])).toMatchObject({ result: "FAILURE", failedCheck: "path" });
  });
});

describe("validatePath: the checks", () => {
  it("validity: both bounds are inclusive (RFC 5280 §4.1.2.5)", () => {
    expect(run([leaf, inter], [root], { at: leaf.notBefore }).result).toBe("SUCCESS");
    expect(run([leaf, inter], [root], { at: leaf.notAfter }).result).toBe("SUCCESS");
    expect(run([leaf, inter], [root], { at: "2026-12-31T23:59:59.001Z" })).toMatchObject({ failedCheck: "validity", certificate: 0 });
    expect(run([leaf, inter], [root], { at: "2025-12-31T23:59:59Z" })).toMatchObject({ failedCheck: "validity", certificate: 0 });
  });

  it("validity: an expired intermediate and an expired trust anchor fail, the anchor numbered after the chain", () => {
    const oldInter = makeCertModel({ ...inter, notAfter: "2026-05-01T00:00:00Z", fingerprint: "" });
    expect(run([leaf, oldInter])).toMatchObject({ failedCheck: "validity", certificate: 1 });
    const oldRoot = makeCertModel({ ...root, notAfter: "2026-05-01T00:00:00Z", fingerprint: "" });
    const v = run([leaf, inter], [inter, oldRoot].slice(1));
    expect(v).toMatchObject({ failedCheck: "validity", certificate: 2 });
    expect(v.checks.at(-1)!.rule).toContain("relying party");
  });

  it("basic-constraints: an issuer without cA=TRUE, or without the extension, is not a CA", () => {
    const notCa = makeCertModel({ ...inter, basicConstraints: { ca: false, pathLen: null, critical: true }, fingerprint: "" });
    expect(run([leaf, notCa])).toMatchObject({ failedCheck: "basic-constraints", certificate: 1 });
    const noBc = makeCertModel({ ...inter, basicConstraints: null, fingerprint: "" });
    expect(run([leaf, noBc])).toMatchObject({ failedCheck: "basic-constraints", certificate: 1 });
  });

  it("basic-constraints: pathLenConstraint counts the non-self-issued intermediates below it", () => {
    const inter2 = makeCertModel({ subject: "CN=Issuing CA", issuer: "CN=Test Intermediate", ...ca });
    const l = leafOf({ issuer: "CN=Issuing CA" });
    const v = run([l, inter2, inter]);
    expect(v).toMatchObject({ failedCheck: "basic-constraints", certificate: 2 });
    expect(v.checks.at(-1)!.field).toBe("basicConstraints.pathLenConstraint");
    const roomy = makeCertModel({ ...inter, basicConstraints: { ca: true, pathLen: 1, critical: true }, fingerprint: "" });
    expect(run([l, inter2, roomy]).result).toBe("SUCCESS");
    // A self-issued intermediate (a key rollover certificate) does not count (RFC 5280 §6.1.4 (l)).
    const rollover = makeCertModel({ subject: "CN=Test Intermediate", issuer: "CN=Test Intermediate", ...ca, key: "new", issuerKey: "CN=Test Intermediate" });
    const l2 = leafOf({ issuerKey: "new" });
    expect(run([l2, rollover, inter]).result).toBe("SUCCESS");
  });

  it("key-usage: an issuer must assert keyCertSign; the leaf needs digitalSignature (keyEncipherment only with RSA)", () => {
    const noSign = makeCertModel({ ...inter, keyUsage: ["cRLSign"], fingerprint: "" });
    expect(run([leaf, noSign])).toMatchObject({ failedCheck: "key-usage", certificate: 1 });
    expect(run([leafOf({ keyUsage: ["keyEncipherment"] }), inter])).toMatchObject({ failedCheck: "key-usage", certificate: 0 });
    expect(run([leafOf({ keyUsage: ["keyEncipherment"], publicKey: "RSA 2048" }), inter]).result).toBe("SUCCESS");
    expect(run([leafOf({ keyUsage: null }), inter]).result).toBe("SUCCESS");
  });

  it("extended-key-usage: the leaf needs serverAuth (absent = any); an intermediate's EKU constrains the path", () => {
    expect(run([leafOf({ extendedKeyUsage: ["clientAuth"] }), inter])).toMatchObject({ failedCheck: "extended-key-usage", certificate: 0 });
    expect(run([leafOf({ extendedKeyUsage: null }), inter]).result).toBe("SUCCESS");
    const clientCa = makeCertModel({ ...inter, extendedKeyUsage: ["clientAuth"], fingerprint: "" });
    expect(run([leaf, clientCa])).toMatchObject({ failedCheck: "extended-key-usage", certificate: 1 });
  });

  it("name-constraints: permitted and excluded dNSName and iPAddress subtrees apply to everything below", () => {
    const nc = (permitted: CertModel["nameConstraints"]) => makeCertModel({ ...inter, nameConstraints: permitted, fingerprint: "" });
    const okCa = nc({ permitted: [{ type: "dns", value: "example.com" }], excluded: [] });
    expect(run([leaf, okCa]).result).toBe("SUCCESS");
    const otherCa = nc({ permitted: [{ type: "dns", value: "example.org" }], excluded: [] });
    expect(run([leaf, otherCa])).toMatchObject({ failedCheck: "name-constraints", certificate: 0 });
    const excl = nc({ permitted: [], excluded: [{ type: "dns", value: "www.example.com" }] });
    expect(run([leaf, excl])).toMatchObject({ failedCheck: "name-constraints", certificate: 0 });
    // "example.com" does not cover "notexample.com": subtrees are whole labels.
    expect(run([leafOf({ san: [{ type: "dns", value: "notexample.com" }] }), okCa], [root], { host: "notexample.com" })).toMatchObject({ failedCheck: "name-constraints" });
    const ipCa = nc({ permitted: [{ type: "ip", value: "192.0.2.0/24" }], excluded: [] });
    const ipLeaf = leafOf({ san: [{ type: "ip", value: "192.0.2.10" }] });
    expect(run([ipLeaf, ipCa], [root], { host: "192.0.2.10" }).result).toBe("SUCCESS");
    const ipOut = leafOf({ san: [{ type: "ip", value: "198.51.100.1" }] });
    expect(run([ipOut, ipCa], [root], { host: "198.51.100.1" })).toMatchObject({ failedCheck: "name-constraints" });
    // With no dNSName SAN, a host-like CN is held to the dNSName constraints.
    const cnOnly = leafOf({ san: null, subject: "CN=www.example.org" });
    expect(run([cnOnly, okCa], [root], { host: undefined as unknown as string })).toMatchObject({ failedCheck: "name-constraints" });
  });

  it("name: RFC 9525 with no CN fallback; the named models change only the name check", () => {
    const cnOnly = leafOf({ san: null });
    expect(run([cnOnly, inter])).toMatchObject({ failedCheck: "name", certificate: 0 });
    expect(validatePath({ chain: [cnOnly, inter], roots: [root], at: AT, host: HOST, nameModel: "cn-fallback", signatureOk: sig }).result).toBe("SUCCESS");
    expect(run([leaf, inter], [root], { host: "example.com" })).toMatchObject({ failedCheck: "name" });
  });

  it("name: no host, no name check", () => {
    const v = validatePath({ chain: [leaf, inter], roots: [root], at: AT, signatureOk: sig });
    expect(v.result).toBe("SUCCESS");
    expect(v.checks.some((c) => c.check === "name")).toBe(false);
  });

  it("critical-extensions: an unknown critical extension fails the certificate, after every other check (RFC 5280 §4.2)", () => {
    const v = run([leafOf({ unknownCriticalExtensions: ["1.2.3.4"] }), inter]);
    expect(v).toMatchObject({ failedCheck: "critical-extensions", certificate: 0 });
    expect(v.checks.at(-1)).toMatchObject({ check: "critical-extensions", field: "extensions", ok: false });
    expect(v.checks.at(-1)!.rule).toContain("RFC 5280 §4.2");
    expect(v.checks.at(-2)!.check).toBe("name");
    expect(run([leaf, makeCertModel({ ...inter, unknownCriticalExtensions: ["1.2.3.4"], fingerprint: "" })])).toMatchObject({ failedCheck: "critical-extensions", certificate: 1 });
  });

  describe("the trust anchor is an input, not a certificate of the path (RFC 5280 §6.1.1 (d))", () => {
    const v1Root = makeCertModel({ subject: "CN=V1 Root", issuer: "CN=V1 Root", basicConstraints: null, keyUsage: null, subjectKeyId: null, authorityKeyId: null, notBefore: "2020-01-01T00:00:00Z", notAfter: "2040-01-01T00:00:00Z" });
    const underV1 = makeCertModel({ ...inter, issuer: "CN=V1 Root", issuerKey: "CN=V1 Root", authorityKeyId: null, fingerprint: "" });
    const anyKey = (c: CertModel, i: CertModel) => (i === v1Root ? c === underV1 : sig(c, i));

    it("a version 1 root with no extensions anchors a path; its checks still appear, saying it is trusted as configured", () => {
      const v = run([leaf, underV1], [v1Root], { signatureOk: anyKey });
      expect(v.result, v.message).toBe("SUCCESS");
      for (const check of ["basic-constraints", "key-usage"] as const) {
        const r = v.checks.find((c) => c.check === check && c.certificate === 2)!;
        expect(r).toMatchObject({ ok: true });
        expect(r.detail).toContain("trust anchor, trusted as configured");
        expect(r.rule).toContain("§6.1.1 (d)");
      }
      expect(v.checks.find((c) => c.check === "basic-constraints" && c.certificate === 2)!.detail).toContain("no basicConstraints");
    });

    it("an anchor with cA=FALSE or without keyCertSign is not held to them (OpenSSL refuses both: see openssl.test.ts)", () => {
      expect(run([leaf, inter], [makeCertModel({ ...root, basicConstraints: { ca: false, pathLen: null, critical: true }, fingerprint: "" })]).result).toBe("SUCCESS");
      expect(run([leaf, inter], [makeCertModel({ ...root, keyUsage: ["digitalSignature"], fingerprint: "" })]).result).toBe("SUCCESS");
    });

    it("a leaf signed by the anchor itself passes with a version 1 root", () => {
      const direct = leafOf({ issuer: "CN=V1 Root", authorityKeyId: null });
      expect(run([direct], [v1Root], { signatureOk: (c, i) => c === direct && i === v1Root }).result).toBe("SUCCESS");
    });

    it("the anchor's own pathLenConstraint is still honoured, as OpenSSL does (error 25 at the root)", () => {
      const root0 = makeCertModel({ ...root, basicConstraints: { ca: true, pathLen: 0, critical: true }, fingerprint: "" });
      const v = run([leaf, inter], [root0]);
      expect(v).toMatchObject({ failedCheck: "basic-constraints", certificate: 2 });
      expect(v.checks.at(-1)).toMatchObject({ field: "basicConstraints.pathLenConstraint", ok: false });
      expect(v.message).toContain("the trust anchor, has pathLenConstraint 0, but 1 intermediate CA certificate follows it");
      // Only leaves below: pathlen:0 allows that.
      expect(run([leafOf({ issuer: "CN=Test Root", issuerKey: "CN=Test Root" })], [root0]).result).toBe("SUCCESS");
    });

    it("an intermediate is still held to basicConstraints and keyUsage", () => {
      const noBc = makeCertModel({ ...underV1, basicConstraints: null, fingerprint: "" });
      expect(run([leaf, noBc], [v1Root], { signatureOk: (c, i) => (i === v1Root ? c === noBc : sig(c, i)) })).toMatchObject({ failedCheck: "basic-constraints", certificate: 1 });
    });
  });

  it("stops at the first failure", () => {
    const v = run([leafOf({ notAfter: "2026-02-01T00:00:00Z", extendedKeyUsage: ["clientAuth"] }), inter]);
    expect(v.failedCheck).toBe("validity");
    expect(v.checks.filter((c) => !c.ok)).toHaveLength(1);
    expect(v.checks.at(-1)!.ok).toBe(false);
  });

  it("rejects a validation time that is not ISO 8601", () => {
    expect(() => run([leaf, inter], [root], { at: "yesterday" })).toThrow(/ISO 8601/);
  });
});

describe("validatePath: properties", () => {
  const names = fc.stringMatching(/^[A-Z][a-z]{2,8}$/);
  it("adding an unrelated certificate to the intermediates never changes a SUCCESS", () => {
    fc.assert(
      fc.property(names, fc.nat(4), fc.boolean(), (name, position, isCa) => {
        const stranger = makeCertModel({ subject: `CN=${name} Stranger`, issuer: `CN=${name} Elsewhere`, ...(isCa ? ca : {}) });
        const chain = [leaf, inter];
        chain.splice(1 + (position % 2), 0, stranger);
        const v = run(chain);
        expect(v.result).toBe("SUCCESS");
        expect(v.path.map((e) => e.cert.subject)).toEqual(["CN=www.example.com", "CN=Test Intermediate", "CN=Test Root"]);
      }),
      { numRuns: RUNS },
    );
  });

  it("moving the validation time outside any certificate's validity always fails validity", () => {
    const certs = [leaf, inter, root];
    fc.assert(
      fc.property(fc.nat(2), fc.boolean(), fc.integer({ min: 1, max: 10 ** 11 }), (which, after, ms) => {
        const c = certs[which]!;
        const at = new Date(after ? Date.parse(c.notAfter) + ms : Date.parse(c.notBefore) - ms).toISOString();
        const v = run([leaf, inter], [root], { at });
        expect(v.result).toBe("FAILURE");
        expect(v.failedCheck).toBe("validity");
      }),
      { numRuns: RUNS },
    );
  });

  it("a verdict's failing certificate is on the path, and its check is the last one listed", () => {
    const variant = fc.record({
      at: fc.constantFrom(AT, "2019-01-01T00:00:00Z", "2027-06-01T00:00:00Z"),
      host: fc.constantFrom(HOST, "example.com", "192.0.2.1"),
      eku: fc.constantFrom<readonly string[] | null>(null, ["serverAuth"], ["clientAuth"]),
      interCa: fc.boolean(),
      withInter: fc.boolean(),
      withRoot: fc.boolean(),
    });
    fc.assert(
      fc.property(variant, (p) => {
        const i = makeCertModel({ ...inter, basicConstraints: { ca: p.interCa, pathLen: 0, critical: true }, fingerprint: "" });
        const v = run(p.withInter ? [leafOf({ extendedKeyUsage: p.eku }), i] : [leafOf({ extendedKeyUsage: p.eku })], p.withRoot ? [root] : [], { at: p.at, host: p.host });
        if (v.result === "SUCCESS") return;
        const last = v.checks.at(-1)!;
        expect(last.ok).toBe(false);
        expect(last.check).toBe(v.failedCheck);
        const onPath = v.path.map((e) => (e.source === "chain" ? e.index : 2 + e.index));
        expect(onPath).toContain(v.certificate);
      }),
      { numRuns: RUNS },
    );
  });
});
