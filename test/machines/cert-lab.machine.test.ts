import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { certLabMachine, certLabStep, certLabHighlighted, type CertLabEvent, type CertLabInput, type CertLabSampleVerdict } from "../../src/machines/cert-lab.machine";
import type { CertModel, CheckId, CheckResult, Verdict } from "../../src/sim/tls/x509/types";

/** A certificate model: only what the walk reads matters here. */
function cert(cn: string, issuer: string): CertModel {
  return {
    subject: `CN=${cn}`, issuer: `CN=${issuer}`, commonName: cn, serialHex: "01",
    notBefore: "2025-01-01T00:00:00Z", notAfter: "2026-01-01T00:00:00Z",
    san: [{ type: "dns", value: cn }], basicConstraints: null, keyUsage: null, extendedKeyUsage: null, nameConstraints: null,
    subjectKeyId: null, authorityKeyId: null, publicKey: "ECDSA P-256", signatureAlgorithm: "ECDSA with SHA-256",
    spkiSha256: "00", fingerprint: "00", unknownCriticalExtensions: [],
  };
}
const path = [
  { cert: cert("www.example.com", "Intermediate"), source: "chain" as const, index: 0 },
  { cert: cert("Intermediate", "Root"), source: "chain" as const, index: 1 },
  { cert: cert("Root", "Root"), source: "roots" as const, index: 0 },
];
const ok = (check: CheckId, certificate: number | null): CheckResult => ({ check, certificate, field: "f", rule: "RFC 5280", ok: true, detail: `${check} ok` });

/** The checks a full success performs, as the engine orders them: signature and validity per certificate. */
const good: Verdict = {
  result: "SUCCESS",
  path,
  checks: [
    ok("parse", null), ok("path", null),
    ok("signature", 0), ok("signature", 1),
    ok("validity", 0), ok("validity", 1), ok("validity", 2),
    ok("basic-constraints", 1), ok("key-usage", 0), ok("extended-key-usage", 0), ok("name", 0),
  ],
  message: "SUCCESS",
};
/** An expired leaf: the engine stops at the failing validity check. */
const expired: Verdict = {
  result: "FAILURE",
  path,
  checks: [ok("parse", null), ok("path", null), ok("signature", 0), ok("signature", 1), { ...ok("validity", 0), ok: false, field: "notAfter", detail: "expired" }],
  failedCheck: "validity",
  certificate: 0,
  message: "FAILURE: certificate 0 (CN=www.example.com) notAfter …",
};
/** No host given: no name check. */
const noHost: Verdict = { ...good, checks: good.checks.filter((c) => c.check !== "name") };

const samples: CertLabSampleVerdict[] = [
  { id: "valid", title: "Valid", verdict: good },
  { id: "expired-leaf", title: "Expired leaf", verdict: expired },
];
const start = (input: Partial<CertLabInput> = {}) => initialTransition(certLabMachine, { samples, ...input })[0];
const send = (s: ReturnType<typeof start>, ...events: CertLabEvent[]) => events.reduce((acc, e) => transition(certLabMachine, acc, e)[0], s);

describe("certificate lab machine: the walk", () => {
  it("opens on the first sample, before any check", () => {
    const s = start();
    expect(s.value).toBe("choosing");
    expect(s.context.source).toEqual({ kind: "sample", id: "valid" });
    expect(s.hasTag("before-checks")).toBe(true);
    expect(s.context.results).toEqual([]);
  });

  it("has one state per check, in the order the engine performed them, ending at the verdict", () => {
    let s = start();
    const seen: string[] = [s.value as string];
    for (let i = 0; i < 20; i++) {
      s = send(s, { type: "NEXT" });
      if (seen.at(-1) !== s.value) seen.push(s.value as string);
    }
    expect(seen).toEqual(["choosing", "parse", "path", "signature", "validity", "basic-constraints", "key-usage", "extended-key-usage", "name", "verdict"]);
    expect(s.hasTag("done")).toBe(true);
    expect(certLabStep(s.context)).toBe(s.value);
  });

  it("holds every certificate's result for the current check, and highlights those certificates", () => {
    const s = send(start(), { type: "GOTO", index: 4 });
    expect(s.value).toBe("validity");
    expect(s.context.results.map((r) => r.certificate)).toEqual([0, 1, 2]);
    expect(certLabHighlighted(s.context.results)).toEqual([0, 1, 2]);
    expect(certLabHighlighted(send(start(), { type: "GOTO", index: 2 }).context.results)).toEqual([]);
  });

  it("skips checks the verdict does not contain (no host: no name state)", () => {
    const s = start({ samples: [{ id: "no-host", title: "No host", verdict: noHost }] });
    expect(s.context.steps).not.toContain("name");
    expect(send(s, { type: "LAST" }, { type: "PREV" }).value).toBe("extended-key-usage");
  });

  it("ends a failing walk at the verdict right after the failing check, showing the failure", () => {
    let s = send(start(), { type: "PICK_SAMPLE", id: "expired-leaf" });
    expect(s.value).toBe("choosing");
    expect(s.context.steps).toEqual(["choosing", "parse", "path", "signature", "validity", "verdict"]);
    s = send(s, { type: "LAST" });
    expect(s.value).toBe("verdict");
    expect(s.context.results).toHaveLength(1);
    expect(s.context.results[0]).toMatchObject({ check: "validity", ok: false, certificate: 0 });
    s = send(s, { type: "PREV" });
    expect(s.value).toBe("validity");
  });

  it("makes a check that comes back later a position of its own, in the engine's order", () => {
    const late: Verdict = { ...good, result: "FAILURE", checks: [...good.checks, { ...ok("parse", 2), ok: false, field: "extensions" }], failedCheck: "parse", certificate: 2 };
    let s = start({ samples: [{ id: "late", title: "Late", verdict: late }] });
    expect(s.context.steps).toEqual(["choosing", "parse", "path", "signature", "validity", "basic-constraints", "key-usage", "extended-key-usage", "name", "parse", "verdict"]);
    s = send(s, { type: "LAST" }, { type: "PREV" });
    expect(s.value).toBe("parse");
    expect(s.context.results).toEqual([late.checks.at(-1)]);
    expect(send(s, { type: "FIRST" }, { type: "NEXT" }).context.results).toEqual([good.checks[0]]);
  });

  it("stays within the walk at either end, and clamps GOTO", () => {
    expect(send(start(), { type: "PREV" }).value).toBe("choosing");
    expect(send(start(), { type: "LAST" }, { type: "NEXT" }).value).toBe("verdict");
    expect(send(start(), { type: "GOTO", index: 99 }).value).toBe("verdict");
    expect(send(start(), { type: "GOTO", index: -3 }).value).toBe("choosing");
    expect(send(start(), { type: "LAST" }, { type: "FIRST" }).value).toBe("choosing");
  });

  it("ignores a sample it does not have", () => {
    const s = send(start(), { type: "NEXT" }, { type: "PICK_SAMPLE", id: "nope" });
    expect(s.value).toBe("parse");
    expect(s.context.source).toEqual({ kind: "sample", id: "valid" });
  });

  it("opens with nothing to walk when it has no samples", () => {
    const s = send(start({ samples: [] }), { type: "NEXT" }, { type: "LAST" });
    expect(s.value).toBe("choosing");
    expect(s.context.verdict).toBeNull();
  });
});

describe("certificate lab machine: the paste box", () => {
  it("keeps each field's text, and an edit clears that field's message only", () => {
    let s = send(start(), { type: "EDIT", field: "chain", text: "-----BEGIN CERTIFICATE-----" });
    s = send(s, { type: "VERIFY_STARTED" });
    expect(s.context.verifying).toBe(true);
    s = send(s, { type: "VERIFY_ERROR", field: "chain", message: "chain: truncated PEM" }, { type: "VERIFY_ERROR", field: "host", message: "host: not a name" });
    expect(s.context.verifying).toBe(false);
    expect(s.context.errors).toEqual({ chain: "chain: truncated PEM", host: "host: not a name" });
    s = send(s, { type: "EDIT", field: "host", text: "www.example.com" });
    expect(s.context.errors).toEqual({ chain: "chain: truncated PEM" });
    expect(s.context.paste.host).toBe("www.example.com");
  });

  it("never loses the walk on a bad paste", () => {
    const before = send(start(), { type: "PICK_SAMPLE", id: "expired-leaf" }, { type: "NEXT" }, { type: "NEXT" });
    const after = send(before, { type: "VERIFY_STARTED" }, { type: "VERIFY_ERROR", field: "chain", message: "garbage" });
    expect(after.value).toBe(before.value);
    expect(after.context.verdict).toBe(before.context.verdict);
    const failed = send(before, { type: "VERIFY_STARTED" }, { type: "VERIFY_ERROR", field: null, message: "The verifier could not load." });
    expect(failed.context.problem).toBe("The verifier could not load.");
    expect(failed.context.errors).toEqual({});
    expect(send(failed, { type: "VERIFY_STARTED" }).context.problem).toBeNull();
  });

  it("walks a pasted chain's verdict from the start, and clears the messages", () => {
    let s = send(start(), { type: "LAST" }, { type: "VERIFY_ERROR", field: "roots", message: "bad" });
    s = send(s, { type: "LOAD_VERDICT", verdict: noHost, host: "", at: "2025-06-01T00:00:00Z" });
    expect(s.value).toBe("choosing");
    expect(s.context.source).toEqual({ kind: "paste", host: "", at: "2025-06-01T00:00:00Z" });
    expect(s.context.errors).toEqual({});
    expect(s.context.steps.at(-2)).toBe("extended-key-usage");
  });

  it("fills the whole box at once", () => {
    const paste = { chain: "A", roots: "B", host: "www.example.com", at: "2025-06-01T00:00:00Z" };
    const s = send(start({ paste: { roots: "R" } }), { type: "VERIFY_ERROR", field: "at", message: "x" }, { type: "FILL_PASTE", paste });
    expect(start({ paste: { roots: "R" } }).context.paste).toEqual({ chain: "", roots: "R", host: "", at: "" });
    expect(s.context.paste).toEqual(paste);
    expect(s.context.errors).toEqual({});
  });
});

describe("certificate lab machine: links", () => {
  it("opens on a link's sample and step, by number (1-based) or by name", () => {
    let s = send(start(), { type: "LOAD_STATE", sample: "expired-leaf", step: "5" });
    expect(s.context.source).toEqual({ kind: "sample", id: "expired-leaf" });
    expect(s.value).toBe("validity");
    expect(s.context.linkProblems).toEqual([]);
    s = send(start(), { type: "LOAD_STATE", sample: null, step: "key-usage" });
    expect(s.value).toBe("key-usage");
  });

  it("explains a bad sample or step and opens on the default", () => {
    const s = send(start(), { type: "LOAD_STATE", sample: "no\u0007such", step: "99" });
    expect(s.value).toBe("choosing");
    expect(s.context.source).toEqual({ kind: "sample", id: "valid" });
    expect(s.context.linkProblems).toHaveLength(2);
    expect(s.context.linkProblems[0]).toContain('"no?such"');
    expect(s.context.linkProblems[1]).toMatch(/not a step/);
    expect(send(start(), { type: "LOAD_STATE", sample: "valid", step: "name-constraints" }).context.linkProblems).toHaveLength(1);
  });
});
