/**
 * Certificate path validation over certificate models, synchronous and without cryptography: whether a signature
 * verifies is an input (`signatureOk`), computed beforehand by verify.ts with WebCrypto, or stated by a question.
 *
 * Path building follows RFC 5280 §6 and, in spirit, RFC 4158: from the leaf, a candidate issuer is a certificate
 * whose subject equals the child's issuer (and whose subjectKeyIdentifier equals the child's authorityKeyIdentifier
 * when both are present), taken from the trust anchors first and then from the supplied intermediates; it counts only
 * if its key verifies the child's signature. Alternatives are tried (backtracking) before giving up, no certificate
 * appears twice, and the depth is bounded. Every anchored path is checked in turn, the first that passes wins, as
 * Chrome's and Go's builders do; if none passes, the first anchored path's failure is reported.
 *
 * The checks on a built path run in a fixed order and stop at the first failure: signature → validity →
 * basic-constraints → key-usage → extended-key-usage → name-constraints → name (only with a host) →
 * critical-extensions. This groups RFC 5280 §6.1's work by kind, leaf first, where §6.1.3–§6.1.4 walk the path one
 * certificate at a time from the anchor's child down to the leaf, running every check on each; on a path that fails
 * one check the verdict is the same, and when two checks fail, the one reported may differ from the first §6.1 meets.
 *
 * The trust anchor is an input to §6.1 (§6.1.1 (d)), not a certificate of the path: basicConstraints (§6.1.4 (k))
 * and keyUsage (§6.1.4 (n)) are required of the intermediates only, so a version 1 root with no extensions anchors a
 * path, as it does for OpenSSL, Go and rustls-webpki. Two things are still read from the anchor, as OpenSSL reads
 * them: its validity period and, when it has one, its pathLenConstraint (a root with pathlen:0 may sign only leaves).
 * OpenSSL goes further with a version 3 anchor (one without basicConstraints, with cA=FALSE or without keyCertSign is
 * refused); this engine follows RFC 5280 there.
 *
 * What the model leaves out, said plainly: revocation (CRL, OCSP), certificate policies, Certificate Transparency,
 * and name constraints on names other than dNSName and iPAddress.
 */
import { InputError } from "../../net/errors";
import { ipInRange, parseIpLiteral, parseIpRange } from "./ip";
import { matchReferenceId } from "./names";
import type { CertModel, CheckId, CheckResult, GeneralName, PathEntry, ValidateOptions, Verdict } from "./types";

export interface ValidatePathInput extends ValidateOptions {
  /** Leaf first, then intermediates (any order, extras allowed). */
  readonly chain: readonly CertModel[];
  /** Trust anchors. */
  readonly roots: readonly CertModel[];
  /** Whether `issuer`'s key verifies `child`'s signature. */
  readonly signatureOk: (child: CertModel, issuer: CertModel) => boolean;
}

/** The longest path the builder will consider (leaf + intermediates + anchor). */
export const MAX_PATH_LENGTH = 10;
/** How many issuer candidates the builder may expand in all, so that a hostile bundle cannot make it search forever. */
const EXPANSION_BUDGET = 2_000;

/** Distinguished names compare as RFC 4514 text, case-insensitively, spaces around separators ignored (RFC 5280 §7.1, simplified). */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().toLowerCase().replace(/\s*([,+=])\s*/g, "$1").replace(/\s+/g, " ");
  return norm(a) === norm(b);
}

/** Self-issued: subject and issuer are the same name (RFC 5280 §6.1). Self-signed additionally needs its own key to verify it. */
export function isSelfIssued(cert: CertModel): boolean {
  return sameName(cert.subject, cert.issuer);
}

/** A short label for messages: the subject as written. */
export function certLabel(cert: CertModel): string {
  return cert.subject === "" ? `(empty subject, serial ${cert.serialHex})` : cert.subject;
}

function instant(text: string, what: string): number {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim()) || Number.isNaN(ms)) throw new InputError(text, `${what} must be an ISO 8601 instant such as 2026-06-01T00:00:00Z`);
  return ms;
}

type DeadEnd = { readonly path: readonly PathEntry[]; readonly check: CheckId; readonly field: string; readonly rule: string; readonly detail: string };

interface Built {
  readonly anchored: PathEntry[][];
  readonly deadEnds: DeadEnd[];
}

const RULE_SIGNATURE = "RFC 5280 §6.1.3 (a)(1): each certificate's signature must verify with the public key of the certificate above it";
const RULE_NO_ISSUER = "RFC 5280 §6.1: a path must lead from the leaf to a trust anchor, each certificate issued by the next";
const RULE_UNTRUSTED = "RFC 5280 §6.1: a path must end at a trust anchor; a self-signed certificate that is not one is an untrusted root";
const RULE_ANCHOR = "RFC 5280 §6.1.1 (d), §6.1.4";
const RULE_SELF_SIGNED = "RFC 5280 §6.1: a self-signed leaf is its own issuer, so it is trusted only if it is itself a trust anchor";

function buildPaths(input: ValidatePathInput): Built {
  const { chain, roots, signatureOk } = input;
  const leaf: PathEntry = { cert: chain[0]!, source: "chain", index: 0 };
  const rootIdentity = new Set(roots.map((r) => `${r.subject.toLowerCase()}|${r.spkiSha256}`));
  const isAnchor = (e: PathEntry) => e.source === "roots" || rootIdentity.has(`${e.cert.subject.toLowerCase()}|${e.cert.spkiSha256}`);
  const pool: PathEntry[] = [
    ...roots.map((cert, index): PathEntry => ({ cert, source: "roots", index })),
    ...chain.slice(1).map((cert, i): PathEntry => ({ cert, source: "chain", index: i + 1 })),
  ];
  const memo = new Map<string, boolean>();
  const verifies = (child: PathEntry, issuer: PathEntry) => {
    const key = `${child.source}${child.index}>${issuer.source}${issuer.index}`;
    let ok = memo.get(key);
    if (ok === undefined) {
      ok = signatureOk(child.cert, issuer.cert);
      memo.set(key, ok);
    }
    return ok;
  };
  const anchored: PathEntry[][] = [];
  const deadEnds: DeadEnd[] = [];
  let budget = EXPANSION_BUDGET;

  const extend = (path: PathEntry[]): void => {
    const current = path[path.length - 1]!;
    const at = path.length - 1;
    if (isAnchor(current)) {
      anchored.push(path);
      return;
    }
    const used = (e: PathEntry) =>
      path.some((p) => p.cert.fingerprint === e.cert.fingerprint || (sameName(p.cert.subject, e.cert.subject) && p.cert.spkiSha256 === e.cert.spkiSha256));
    const byName = pool.filter(
      (e) =>
        sameName(e.cert.subject, current.cert.issuer) &&
        !used(e) &&
        (current.cert.authorityKeyId === null || e.cert.subjectKeyId === null || current.cert.authorityKeyId === e.cert.subjectKeyId),
    );
    const who = `certificate ${at} (${certLabel(current.cert)})`;
    if (path.length >= MAX_PATH_LENGTH) {
      deadEnds.push({ path, check: "path", field: "issuer", rule: RULE_NO_ISSUER, detail: `The path reached ${MAX_PATH_LENGTH} certificates at ${who} without a trust anchor; the builder stops there.` });
      return;
    }
    const verified = byName.filter((e) => budget-- > 0 && verifies(current, e));
    for (const e of verified) extend([...path, e]);
    if (verified.length > 0) return;
    if (isSelfIssued(current.cert) && verifies(current, current)) {
      if (at === 0) {
        deadEnds.push({ path, check: "self-signed", field: "issuer", rule: RULE_SELF_SIGNED, detail: `${who} is self-signed (issuer = subject, its own key verifies it) and is not among the trusted roots.` });
      } else {
        deadEnds.push({ path, check: "path", field: "issuer", rule: RULE_UNTRUSTED, detail: `The path ends at ${who}, a self-signed certificate that is not among the trusted roots: untrusted root.` });
      }
      return;
    }
    if (byName.length > 0) {
      const names = byName.map((e) => `${e.source === "roots" ? "root" : "chain"} ${e.index}`).join(", ");
      deadEnds.push({
        path,
        check: "signature",
        field: "signatureValue",
        rule: RULE_SIGNATURE,
        detail: `${who} names its issuer "${current.cert.issuer}", but the key of the certificate with that name (${names}) does not verify its signature (${current.cert.signatureAlgorithm}).`,
      });
      return;
    }
    deadEnds.push({
      path,
      check: "path",
      field: "issuer",
      rule: RULE_NO_ISSUER,
      detail: `Unable to find the issuer "${current.cert.issuer}" of ${who} among the supplied intermediates and the trusted roots.`,
    });
  };
  extend([leaf]);
  return { anchored, deadEnds };
}

function withinValidity(cert: CertModel, at: number): "before" | "after" | "ok" {
  if (at < instant(cert.notBefore, "notBefore")) return "before";
  if (at > instant(cert.notAfter, "notAfter")) return "after";
  return "ok";
}

/** dNSName subtree (RFC 5280 §4.2.1.10): "example.com" covers itself and every name below; ".example.com" only names below. */
function dnsInSubtree(name: string, constraint: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, "");
  const c = constraint.toLowerCase().replace(/\.$/, "");
  if (c === "") return true;
  if (c.startsWith(".")) return n.endsWith(c);
  return n === c || n.endsWith(`.${c}`);
}

function ipInSubtree(value: string, constraint: string): boolean {
  const ip = parseIpLiteral(value);
  const range = parseIpRange(constraint);
  return ip !== null && range !== null && ipInRange(ip, range);
}

/** A CN that a browser would treat as a host name (letters, digits, hyphens, dots, at least one dot). */
function cnLooksLikeDns(cn: string | null): cn is string {
  return cn !== null && /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)+\.?$/i.test(cn);
}

function constrainedNames(cert: CertModel): GeneralName[] {
  const san = cert.san ?? [];
  const names = san.filter((n) => n.type === "dns" || n.type === "ip");
  // As OpenSSL and browsers do: the CN is held to dNSName constraints only when it looks like a host name and the
  // certificate has no dNSName SAN (the case where a legacy client would read the CN as the server's name).
  if (!san.some((n) => n.type === "dns") && cnLooksLikeDns(cert.commonName)) names.push({ type: "dns", value: cert.commonName });
  return names;
}

function nameViolation(name: GeneralName, nc: NonNullable<CertModel["nameConstraints"]>): string | null {
  const inTree = (c: GeneralName) => (name.type === "dns" ? dnsInSubtree(name.value, c.value) : ipInSubtree(name.value, c.value));
  const excluded = nc.excluded.filter((c) => c.type === name.type).find(inTree);
  if (excluded !== undefined) return `${name.type === "dns" ? "DNS" : "IP"}:${name.value} is inside the excluded subtree ${excluded.value}`;
  const permitted = nc.permitted.filter((c) => c.type === name.type);
  if (permitted.length > 0 && !permitted.some(inTree)) {
    return `${name.type === "dns" ? "DNS" : "IP"}:${name.value} is outside the permitted subtrees ${permitted.map((c) => c.value).join(", ")}`;
  }
  return null;
}


/** All the checks on one anchored path, in order, stopping at the first failure. */
function checkPath(path: readonly PathEntry[], options: ValidateOptions): CheckResult[] {
  const at = instant(options.at, "the validation time");
  const checks: CheckResult[] = [];
  const add = (c: CheckResult) => {
    checks.push(c);
    return c.ok;
  };
  const last = path.length - 1;
  const label = (i: number) => `certificate ${i} (${certLabel(path[i]!.cert)})`;

  // path: the one that was built, leaf to trust anchor, each link found by issuer name (and key identifier).
  add({
    check: "path",
    certificate: null,
    field: "issuer",
    rule: RULE_NO_ISSUER,
    ok: true,
    detail: `The path runs ${path.map((e, i) => `${label(i)}${e.source === "roots" ? " from the trusted roots" : ""}`).join(" → ")}: each certificate's issuer is the subject of the next, and the last is a trust anchor.`,
  });

  // signature: every link was verified while building; the anchor's own signature is not checked (RFC 5280 §6.1.1).
  for (let i = 0; i < last; i += 1) {
    const issuer = path[i + 1]!.cert;
    add({
      check: "signature",
      certificate: i,
      field: "signatureValue",
      rule: RULE_SIGNATURE,
      ok: true,
      detail: `The ${issuer.publicKey} key of ${label(i + 1)} verifies the ${path[i]!.cert.signatureAlgorithm} signature of ${label(i)}.`,
    });
  }

  for (let i = 0; i <= last; i += 1) {
    const cert = path[i]!.cert;
    const where = withinValidity(cert, at);
    const anchorNote = i === last && path[i]!.source === "roots" ? "; RFC 5280 §6.1.1 leaves a trust anchor's own validity to the relying party, and this engine (like OpenSSL and x509-limbo) rejects an expired anchor" : "";
    const ok = where === "ok";
    const detail =
      where === "after"
        ? `${label(i)} expired: notAfter ${cert.notAfter} is before the validation time ${options.at}.`
        : where === "before"
          ? `${label(i)} is not yet valid: notBefore ${cert.notBefore} is after the validation time ${options.at}.`
          : `${options.at} lies within ${cert.notBefore} … ${cert.notAfter}.`;
    if (!add({ check: "validity", certificate: i, field: where === "before" ? "notBefore" : where === "after" ? "notAfter" : "validity", rule: `RFC 5280 §4.1.2.5, §6.1.3 (a)(2): the validation time must lie within notBefore … notAfter, both inclusive${anchorNote}`, ok, detail })) return checks;
  }

  // basic-constraints: every intermediate must be a CA; pathLenConstraint bounds the non-self-issued intermediates
  // below it. The anchor (i = last) is trusted as configured: only its pathLenConstraint, if any, is honoured.
  for (let i = 0; i <= last; i += 1) {
    const cert = path[i]!.cert;
    if (i === 0) {
      add({ check: "basic-constraints", certificate: 0, field: "basicConstraints", rule: "RFC 5280 §4.2.1.9: an end-entity certificate needs no basicConstraints", ok: true, detail: cert.basicConstraints === null ? "The leaf has no basicConstraints, as an end-entity certificate may." : `The leaf's basicConstraints: cA=${cert.basicConstraints.ca ? "TRUE" : "FALSE"}.` });
      continue;
    }
    const bc = cert.basicConstraints;
    const below = path.slice(1, i).filter((e) => !isSelfIssued(e.cert)).length;
    if (i === last) {
      const pathLen = bc?.pathLen ?? null;
      const ok = pathLen === null || below <= pathLen;
      const has = bc === null ? "no basicConstraints extension" : `basicConstraints cA=${bc.ca ? "TRUE" : "FALSE"}${pathLen === null ? "" : `, pathLenConstraint ${pathLen}`}`;
      add({
        check: "basic-constraints",
        certificate: i,
        field: ok ? "basicConstraints" : "basicConstraints.pathLenConstraint",
        rule: `${RULE_ANCHOR} (k)(l): basicConstraints is required of the intermediates; the trust anchor is trusted as configured, though its pathLenConstraint, when present, still bounds the intermediates below it (as OpenSSL enforces)`,
        ok,
        detail: ok
          ? `${label(i)} is the trust anchor, trusted as configured: it has ${has}${pathLen === null ? "" : `, with ${below} intermediate${below === 1 ? "" : "s"} below it`}.`
          : `${label(i)}, the trust anchor, has pathLenConstraint ${pathLen}, but ${below} intermediate CA certificate${below === 1 ? "" : "s"} follow${below === 1 ? "s" : ""} it in the path.`,
      });
      if (!ok) return checks;
      continue;
    }
    if (bc === null || !bc.ca) {
      add({
        check: "basic-constraints",
        certificate: i,
        field: "basicConstraints.cA",
        rule: "RFC 5280 §4.2.1.9, §6.1.4 (k): a certificate that issues another must carry basicConstraints with cA=TRUE; without the extension it is not a CA",
        ok: false,
        detail: bc === null ? `${label(i)} issued ${label(i - 1)} but has no basicConstraints extension, so it is not a CA.` : `${label(i)} issued ${label(i - 1)} but its basicConstraints says cA=FALSE.`,
      });
      return checks;
    }
    if (bc.pathLen !== null && below > bc.pathLen) {
      add({
        check: "basic-constraints",
        certificate: i,
        field: "basicConstraints.pathLenConstraint",
        rule: "RFC 5280 §4.2.1.9, §6.1.4 (l)(m): pathLenConstraint is the most non-self-issued intermediate CA certificates that may follow this one in the path",
        ok: false,
        detail: `${label(i)} has pathLenConstraint ${bc.pathLen}, but ${below} intermediate CA certificate${below === 1 ? "" : "s"} follow${below === 1 ? "s" : ""} it in the path.`,
      });
      return checks;
    }
    add({ check: "basic-constraints", certificate: i, field: "basicConstraints.cA", rule: "RFC 5280 §4.2.1.9, §6.1.4 (k)(l)(m): an issuer must have cA=TRUE, and pathLenConstraint bounds the intermediates below it", ok: true, detail: `${label(i)} has cA=TRUE${bc.pathLen === null ? " and no path length limit" : `, pathLenConstraint ${bc.pathLen}, with ${below} intermediate${below === 1 ? "" : "s"} below it`}.` });
  }

  for (let i = 0; i <= last; i += 1) {
    const cert = path[i]!.cert;
    const ku = cert.keyUsage;
    if (i === 0) {
      const rsa = cert.publicKey.startsWith("RSA");
      const allowed = ku === null || ku.includes("digitalSignature") || (rsa && ku.includes("keyEncipherment"));
      const ok = add({
        check: "key-usage",
        certificate: 0,
        field: "keyUsage",
        rule: "RFC 5280 §4.2.1.3, RFC 8446 §4.4.2.2: a TLS server's keyUsage, if present, must allow digitalSignature (or keyEncipherment for TLS 1.2 RSA key exchange)",
        ok: allowed,
        detail: ku === null ? "The leaf has no keyUsage extension, so its key may be used for any purpose." : `The leaf's keyUsage is ${ku.join(", ") || "empty"}${allowed ? "" : `, which does not allow ${rsa ? "digitalSignature or keyEncipherment" : "digitalSignature"}`}.`,
      });
      if (!ok) return checks;
      continue;
    }
    if (i === last) {
      add({ check: "key-usage", certificate: i, field: "keyUsage", rule: `${RULE_ANCHOR} (n): keyCertSign is required of the intermediates; the trust anchor is trusted as configured`, ok: true, detail: `${label(i)} is the trust anchor, trusted as configured: ${ku === null ? "it has no keyUsage extension" : `its keyUsage is ${ku.join(", ") || "empty"}`}.` });
      continue;
    }
    const ok = ku === null || ku.includes("keyCertSign");
    if (!add({ check: "key-usage", certificate: i, field: "keyUsage", rule: "RFC 5280 §4.2.1.3, §6.1.4 (n): an issuer whose keyUsage is present must assert keyCertSign", ok, detail: ku === null ? `${label(i)} has no keyUsage extension.` : `${label(i)}'s keyUsage is ${ku.join(", ") || "empty"}${ok ? "" : ", without keyCertSign"}.` })) return checks;
  }

  // extended-key-usage: the leaf needs serverAuth; an intermediate's EKU constrains the path (as browsers and OpenSSL do).
  {
    const eku = path[0]!.cert.extendedKeyUsage;
    const ok = eku === null || eku.includes("serverAuth");
    const ruled = add({
      check: "extended-key-usage",
      certificate: 0,
      field: "extendedKeyUsage",
      rule: "RFC 5280 §4.2.1.12: a TLS server certificate's extendedKeyUsage, if present, must include serverAuth (an absent extension allows any purpose, though the CA/Browser Forum's Baseline Requirements make CAs include serverAuth)",
      ok,
      detail: eku === null ? "The leaf has no extendedKeyUsage, which RFC 5280 reads as any purpose." : `The leaf's extendedKeyUsage is ${eku.join(", ") || "empty"}${ok ? "" : ", without serverAuth"}.`,
    });
    if (!ruled) return checks;
    for (let i = 1; i < last; i += 1) {
      const ca = path[i]!.cert.extendedKeyUsage;
      if (ca === null) continue;
      const caOk = ca.includes("serverAuth") || ca.includes("anyExtendedKeyUsage");
      if (!add({ check: "extended-key-usage", certificate: i, field: "extendedKeyUsage", rule: "EKU chaining (not in RFC 5280, done by browsers and OpenSSL): an intermediate whose extendedKeyUsage lacks serverAuth may not vouch for a TLS server", ok: caOk, detail: `${label(i)}'s extendedKeyUsage is ${ca.join(", ") || "empty"}${caOk ? "" : ", without serverAuth"}.` })) return checks;
    }
  }

  // name-constraints: each CA's subtrees apply to every certificate below it (self-issued intermediates exempt).
  {
    let any = false;
    for (let i = 0; i < last; i += 1) {
      const cert = path[i]!.cert;
      if (i > 0 && isSelfIssued(cert)) continue;
      const above = path.map((e, j) => ({ nc: e.cert.nameConstraints, j })).filter(({ nc, j }) => j > i && nc !== null);
      if (above.length === 0) continue;
      any = true;
      const names = constrainedNames(cert);
      for (const { nc, j } of above) {
        const bad = names.map((n) => nameViolation(n, nc!)).find((v) => v !== null);
        const ok = bad === undefined;
        if (!add({ check: "name-constraints", certificate: i, field: "subjectAltName", rule: "RFC 5280 §4.2.1.10, §6.1.3 (b)(c): every dNSName and iPAddress of a certificate below a CA with nameConstraints must lie in a permitted subtree and in no excluded one (this model checks those two name types only)", ok, detail: ok ? `${label(i)}'s names (${names.map((n) => n.value).join(", ") || "none"}) satisfy the constraints of ${label(j)}.` : `${label(i)}: ${bad}, set by ${label(j)}.` })) return checks;
      }
    }
    if (!any) add({ check: "name-constraints", certificate: null, field: "nameConstraints", rule: "RFC 5280 §4.2.1.10: name constraints apply only below a CA that carries them", ok: true, detail: "No CA in the path carries nameConstraints." });
  }

  if (options.host !== undefined) {
    const m = matchReferenceId(path[0]!.cert, options.host, options.nameModel ?? "rfc9525");
    if (!add({ check: "name", certificate: 0, field: "subjectAltName", rule: m.rule, ok: m.ok, detail: m.detail })) return checks;
  }

  for (let i = 0; i <= last; i += 1) {
    const unknown = path[i]!.cert.unknownCriticalExtensions;
    if (unknown.length === 0) continue;
    add({ check: "critical-extensions", certificate: i, field: "extensions", rule: "RFC 5280 §4.2: a certificate-using system must reject a certificate with a critical extension it does not recognise", ok: false, detail: `${label(i)} carries critical extension${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")} that this engine does not process.` });
    return checks;
  }
  return checks;
}

function chainIndex(entry: PathEntry, chainLength: number): number {
  return entry.source === "chain" ? entry.index : chainLength + entry.index;
}

/**
 * Validates a chain: builds a path from the leaf to a trust anchor and runs every check on it.
 *
 * @throws InputError when `at` is not an ISO 8601 instant
 * @example validatePath({ chain: [leaf, intermediate], roots: [root], at: "2026-06-01T00:00:00Z", host: "www.example.com", signatureOk: () => true }).result
 */
export function validatePath(input: ValidatePathInput): Verdict {
  instant(input.at, "the validation time");
  if (input.chain.length === 0) {
    return { result: "FAILURE", path: [], checks: [{ check: "parse", certificate: null, field: "chain", rule: "RFC 5246 §7.4.2, RFC 8446 §4.4.2: a server presents its own certificate first", ok: false, detail: "The chain holds no certificate." }], failedCheck: "parse", message: "FAILURE: the chain holds no certificate." };
  }
  const n = input.chain.length;
  const built = buildPaths(input);
  let first: { path: readonly PathEntry[]; checks: CheckResult[] } | null = null;
  for (const path of built.anchored) {
    const checks = checkPath(path, input);
    const failed = checks.find((c) => !c.ok);
    if (failed === undefined) {
      const anchor = path[path.length - 1]!.cert;
      return { result: "SUCCESS", path, checks, message: `SUCCESS: ${certLabel(path[0]!.cert)} chains to the trust anchor ${certLabel(anchor)} in ${path.length} certificate${path.length === 1 ? "" : "s"}, and every check passed.` };
    }
    first ??= { path, checks };
  }
  if (first !== null) {
    const failed = first.checks.find((c) => !c.ok)!;
    const position = failed.certificate ?? 0;
    const entry = first.path[position]!;
    return { result: "FAILURE", path: first.path, checks: first.checks, failedCheck: failed.check, certificate: chainIndex(entry, n), message: `FAILURE: ${failed.detail}` };
  }
  // No anchored path: report the dead end that got furthest (the first of those on a tie).
  const deepest = built.deadEnds.reduce((best, d) => (d.path.length > best.path.length ? d : best), built.deadEnds[0]!);
  const signatures: CheckResult[] = deepest.path.slice(0, -1).map((e, i) => ({ check: "signature", certificate: i, field: "signatureValue", rule: RULE_SIGNATURE, ok: true, detail: `The ${deepest.path[i + 1]!.cert.publicKey} key of certificate ${i + 1} (${certLabel(deepest.path[i + 1]!.cert)}) verifies the signature of certificate ${i} (${certLabel(e.cert)}).` }));
  const position = deepest.path.length - 1;
  const failing: CheckResult = { check: deepest.check, certificate: position, field: deepest.field, rule: deepest.rule, ok: false, detail: deepest.detail };
  return {
    result: "FAILURE",
    path: deepest.path,
    checks: [...signatures, failing],
    failedCheck: deepest.check,
    certificate: chainIndex(deepest.path[position]!, n),
    message: `FAILURE: ${deepest.detail}`,
  };
}
