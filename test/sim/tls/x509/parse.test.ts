/**
 * parsePemBundle on real certificates (x509-limbo's Let's Encrypt chain) and on every kind of bad input: each is an
 * InputError naming what and where, never a hang or a stack trace.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../../src/sim/net/errors";
import { parsePemBundle } from "../../../../src/sim/tls/x509/parse";
import { ROOT_STORE_LIMITS } from "../../../../src/sim/tls/x509/verify";

const limbo = JSON.parse(readFileSync(new URL("../../../../../shared/conformance/x509-limbo-subset.json", import.meta.url), "utf8")) as { testcases: { id: string; peer_certificate: string; untrusted_intermediates: string[]; trusted_certs: string[] }[] };
const cio = limbo.testcases.find((t) => t.id === "webpki::cryptographydotio-chain")!;
const leafPem = cio.peer_certificate;

const fails = (text: string) => {
  try {
    parsePemBundle(text, "chain.pem");
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error("expected an InputError");
};

describe("parsePemBundle", () => {
  it("reads a real chain into models: RFC 4514 names, SAN, constraints, key ids, algorithms, fingerprints", () => {
    const [leaf, r3] = parsePemBundle(`some text before\n${leafPem}\nbetween\n${cio.untrusted_intermediates[0]}\ntrailing`, "chain");
    expect(leaf!.model).toMatchObject({
      subject: "CN=cryptography.io",
      issuer: "CN=R3, O=Let's Encrypt, C=US",
      commonName: "cryptography.io",
      keyUsage: ["digitalSignature", "keyEncipherment"],
      extendedKeyUsage: ["serverAuth", "clientAuth"],
      basicConstraints: { ca: false, pathLen: null, critical: true },
      publicKey: "RSA 2048",
      signatureAlgorithm: "RSA PKCS#1 v1.5 with SHA-256",
      unknownCriticalExtensions: [],
    });
    expect(leaf!.model.san).toContainEqual({ type: "dns", value: "cryptography.io" });
    expect(leaf!.model.authorityKeyId).toBe(r3!.model.subjectKeyId);
    expect(leaf!.model.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(leaf!.model.spkiSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(leaf!.line).toBe(2);
    expect(r3!.model.basicConstraints).toEqual({ ca: true, pathLen: 0, critical: true });
  });

  it("reads one bare base64 certificate", () => {
    const b64 = leafPem.replace(/-----[A-Z ]+-----/g, "");
    expect(parsePemBundle(b64, "paste")[0]!.model.subject).toBe("CN=cryptography.io");
  });

  it("names each bad input and where it is", () => {
    expect(fails("")).toContain("empty");
    expect(fails("hello")).toContain("no CERTIFICATE block");
    expect(fails(leafPem.split("\n").slice(0, 4).join("\n"))).toMatch(/truncated at line 4: the BEGIN CERTIFICATE block at line 1 has no END/);
    expect(fails(`${leafPem}\n-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n`)).toMatch(/line \d+: a EC PRIVATE KEY block, not a certificate\. A private key should never be pasted anywhere/);
    expect(fails("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----")).toContain("line 1: a CERTIFICATE REQUEST block, not a certificate");
    expect(fails("-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----")).toContain("does not decode");
    expect(fails("-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----")).toContain("line 1: the DER is not an X.509 certificate");
    expect(fails("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")).toContain("not DER");
    expect(fails(`${leafPem}\n`.repeat(17))).toContain("more than 16 certificates");
  });

  it("refuses a 1 MB paste at once, without parsing it", () => {
    const start = performance.now();
    expect(fails("A".repeat(1024 * 1024))).toMatch(/1024 KB of text; the limit is 256 KB \(a certificate chain is a few KB\)/);
    expect(performance.now() - start).toBeLessThan(200);
  });

  it("words the limits for a trust store as a trust store, not a chain", () => {
    const store = (text: string) => {
      try {
        parsePemBundle(text, "roots", ROOT_STORE_LIMITS);
      } catch (error) {
        return (error as InputError).message;
      }
      throw new Error("expected an InputError");
    };
    const big = store("A".repeat(1100 * 1024));
    expect(big).toMatch(/roots: 1100 KB of text; the limit is 1024 KB \(Mozilla's whole root store, about 150 roots, is about 200 KB of PEM\)/);
    expect(big).not.toContain("chain");
    expect(store(`${leafPem}\n`.repeat(401))).toMatch(/more than 400 certificates; Mozilla's whole root store holds about 150$/);
    // What a chain is allowed, a trust store is too.
    expect(parsePemBundle(`${leafPem}\n`.repeat(17), "roots", ROOT_STORE_LIMITS)).toHaveLength(17);
  });
});
