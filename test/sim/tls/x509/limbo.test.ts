/**
 * Conformance: ../shared/conformance/x509-limbo-subset.json (C2SP/x509-limbo, WebPKI server validation), run through
 * the whole engine — PEM parsing, WebCrypto signatures, path building and checks. Every case runs at its
 * validation_time_effective with its expected peer name; the expected result must match, and for a failure the check
 * that fails must be the one the case was built to exercise (limbo states the reason in prose; the table below turns
 * each into this engine's CheckId). No case is skipped and the engine diverges from none.
 *
 * OpenSSL 3.0's CLI verdicts recorded in the file are compared too: it disagrees with limbo on three cases, each for a
 * documented reason (listed in OPENSSL_DIVERGES), and this engine sides with limbo on all three.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { verifyChain } from "../../../../src/sim/tls/x509/verify";
import type { CheckId } from "../../../../src/sim/tls/x509/types";

interface LimboCase {
  id: string;
  description: string;
  validation_time_effective: string;
  expected_peer_name: { kind: "DNS" | "IP"; value: string } | null;
  expected_result: "SUCCESS" | "FAILURE";
  expected_reason: string;
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  crosscheck_openssl_3_0_cli?: { result: "SUCCESS" | "FAILURE"; error: string | null; agrees_with_expected: boolean };
}

const path = fileURLToPath(new URL("../../../../../shared/conformance/x509-limbo-subset.json", import.meta.url));
const data = JSON.parse(readFileSync(path, "utf8")) as { meta: { count: number }; testcases: LimboCase[] };

/** The check each failing case exercises, and (where the case pins it) the failing certificate's index in the chain. */
const FAILS_AT: Record<string, { check: CheckId; certificate?: number }> = {
  "rfc5280::validity::expired-leaf": { check: "validity", certificate: 0 },
  "rfc5280::validity::expired-intermediate": { check: "validity", certificate: 1 },
  // The anchor is numbered after the chain (leaf, intermediate): 2 + its index among the roots.
  "rfc5280::validity::expired-root": { check: "validity", certificate: 2 },
  // All three certificates start 1 s after the validation time; the leaf is checked first.
  "rfc5280::validity::not-yet-valid-1-second": { check: "validity", certificate: 0 },
  "webpki::san::mismatch-domain-san": { check: "name", certificate: 0 },
  "webpki::san::mismatch-apex-subdomain-san": { check: "name", certificate: 0 },
  "webpki::san::wildcard-match-across-labels-san": { check: "name", certificate: 0 },
  "webpki::san::wildcard-not-in-leftmost-san": { check: "name", certificate: 0 },
  "webpki::san::wildcard-embedded-leftmost-san": { check: "name", certificate: 0 },
  "webpki::san::no-san": { check: "name", certificate: 0 },
  "derived::wildcard-does-not-match-apex": { check: "name", certificate: 0 },
  "webpki::cryptographydotio-chain-missing-intermediate": { check: "path", certificate: 0 },
  "rfc5280::chain-untrusted-root": { check: "path" },
  "rfc5280::intermediate-ca-without-ca-bit": { check: "basic-constraints", certificate: 1 },
  "pathlen::intermediate-violates-pathlen-0": { check: "basic-constraints" },
  "pathlen::intermediate-pathlen-too-long": { check: "basic-constraints" },
  "rfc5280::eku::ee-wrong-eku": { check: "extended-key-usage", certificate: 0 },
  "derived::self-signed-leaf-not-trusted": { check: "self-signed", certificate: 0 },
};

/** Where OpenSSL 3.0's defaults differ from limbo (and RFC 5280 / RFC 9525), and why. */
const OPENSSL_DIVERGES: Record<string, string> = {
  "rfc5280::validity::notafter-exact": "OpenSSL treats notAfter as exclusive (X509_cmp_time), RFC 5280 §4.1.2.5 makes it inclusive",
  "webpki::san::wildcard-embedded-leftmost-san": "OpenSSL allows partial-label wildcards such as ba*.example.com unless X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS is set",
  "webpki::san::no-san": "OpenSSL falls back to the subject CN when the certificate has no dNSName SAN; RFC 9525 removed that fallback",
};

/** Cases this engine deliberately skips or answers differently from limbo: none. */
const DIVERGES_FROM_LIMBO: Record<string, string> = {};

describe("the conformance file", () => {
  it("holds the curated cases, every failure mapped to a check", () => {
    expect(data.testcases).toHaveLength(data.meta.count);
    for (const c of data.testcases) if (c.expected_result === "FAILURE") expect(FAILS_AT[c.id], c.id).toBeDefined();
    expect(Object.keys(DIVERGES_FROM_LIMBO)).toEqual([]);
  });
});

describe.each(data.testcases)("x509-limbo: $id", (c) => {
  it(`${c.expected_result}: ${c.expected_reason}`, async () => {
    const verdict = await verifyChain({
      chainPem: [c.peer_certificate, ...c.untrusted_intermediates].join("\n"),
      rootsPem: c.trusted_certs.join("\n"),
      at: c.validation_time_effective,
      ...(c.expected_peer_name ? { host: c.expected_peer_name.value } : {}),
    });
    expect(verdict.result, verdict.message).toBe(c.expected_result);
    if (c.expected_result === "FAILURE") {
      const want = FAILS_AT[c.id]!;
      expect(verdict.failedCheck, verdict.message).toBe(want.check);
      if (want.certificate !== undefined) expect(verdict.certificate, verdict.message).toBe(want.certificate);
    } else {
      expect(verdict.checks.every((k) => k.ok)).toBe(true);
    }
  });

  it("agrees with OpenSSL 3.0's recorded verdict, or the difference is a documented OpenSSL default", () => {
    const openssl = c.crosscheck_openssl_3_0_cli;
    if (openssl === undefined) return;
    if (openssl.result === c.expected_result) expect(OPENSSL_DIVERGES[c.id]).toBeUndefined();
    else expect(OPENSSL_DIVERGES[c.id], `${c.id}: OpenSSL says ${openssl.result} (${openssl.error})`).toBeDefined();
  });
});
