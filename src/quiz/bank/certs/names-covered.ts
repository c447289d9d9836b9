import { seededRandom } from "../../../sim/random";
import { matchReferenceId } from "../../../sim/tls/x509/names";
import type { CertModel, GeneralName, NameModel } from "../../../sim/tls/x509/types";
import type { Template } from "../../engine/types";
import { orderedChoices, orderRandom, pick } from "../draw";
import { certsLab, LESSON, NAME_MODELS, opensslName, sanText, wrongModelAnswers } from "./shared";

/**
 * Which host names does this certificate cover? A leaf's subject and subjectAltName (as `openssl x509` prints
 * them) against six names a client might look up. The key is the engine's RFC 9525 matcher (`matchReferenceId`);
 * each wrong model's answer is the same matcher run under that `NameModel` (CN fallback, partial wildcards,
 * multi-label wildcards).
 */
const ID = "names-covered";

const DOMAINS = ["example.com", "shop.example.net", "example.org", "pay.example.co.uk", "example.dev"] as const;
/** How the certificate names its host(s). */
const STYLES = ["wildcard-and-apex", "wildcard-only", "partial-wildcard", "cn-only", "exact"] as const;
type Style = (typeof STYLES)[number];
const IP = "192.0.2.10";
/** The lab's sample (src/sim/tls/samples.ts) that shows the same point. */
const SAMPLE_FOR: Readonly<Record<Style, string>> = {
  "wildcard-and-apex": "wildcard-two-labels",
  "wildcard-only": "wildcard-two-labels",
  "partial-wildcard": "partial-wildcard",
  "cn-only": "cn-only",
  exact: "wrong-host",
};

function params(seed: number): Record<string, string> {
  if (seed === 0) return { domain: "example.com", style: "wildcard-and-apex" };
  const r = seededRandom(seed);
  return { domain: pick(r, DOMAINS), style: pick(r, STYLES) };
}

function leaf(domain: string, style: Style): CertModel {
  const dns = (value: string): GeneralName => ({ type: "dns", value });
  const san: Record<Style, readonly GeneralName[]> = {
    "wildcard-and-apex": [dns(`*.${domain}`), dns(domain)],
    "wildcard-only": [dns(`*.${domain}`)],
    "partial-wildcard": [dns(`w*.${domain}`), dns(domain)],
    // No dNSName at all: the host is only in the CN (and the certificate also names an address).
    "cn-only": [{ type: "ip", value: IP }],
    exact: [dns(`www.${domain}`), dns(`api.${domain}`)],
  };
  return {
    subject: `CN=www.${domain}, O=Example`, issuer: "CN=Example Issuing CA 1, O=Example", commonName: `www.${domain}`, serialHex: "1f",
    notBefore: "2025-01-01T00:00:00Z", notAfter: "2025-12-31T23:59:59Z", san: san[style],
    basicConstraints: { ca: false, pathLen: null, critical: true }, keyUsage: ["digitalSignature"], extendedKeyUsage: ["serverAuth"],
    nameConstraints: null, subjectKeyId: null, authorityKeyId: null, publicKey: "ECDSA P-256", signatureAlgorithm: "ECDSA with SHA-256",
    spkiSha256: "00", fingerprint: "00", unknownCriticalExtensions: [],
  };
}

/** The names offered, by option id: the apex, www, one label deeper, a sibling, a look-alike suffix, an address. */
function candidates(domain: string): Record<string, string> {
  return {
    apex: domain,
    www: `www.${domain}`,
    web: `web.${domain}`,
    deep: `img.cdn.${domain}`,
    suffix: `www.${domain}.attacker.example`,
    ip: IP,
  };
}

export const namesCovered: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "Which names does this certificate cover?",
  lesson: LESSON,
  concepts: ["x509-chain"],
  file: "src/quiz/bank/certs/names-covered.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const cert = leaf(p.domain!, p.style as Style);
    const names = candidates(p.domain!);
    const covered = (model: NameModel) => Object.keys(names).filter((id) => matchReferenceId(cert, names[id]!, model).ok).sort();
    const key = { choices: covered("rfc9525") };
    const options = orderedChoices(orderRandom(seed, ID), Object.entries(names).map(([id, text]) => ({ id, text })));
    const rubric = Object.fromEntries(
      Object.entries(names).map(([id, host]) => {
        const m = matchReferenceId(cert, host);
        return [id, { why: `${m.ok ? "Covered" : "Not covered"}: ${m.detail}`, step: "name" }];
      }),
    );
    const misconceptions = wrongModelAnswers<"multiple-choice">(NAME_MODELS, (model) => ({ choices: covered(model as NameModel) }), key);
    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt: `A server presents the leaf certificate below (its chain is otherwise valid). A browser that follows RFC 9525 connects to each of the names offered. For which of them does the certificate pass the host-name check? Tick every one it covers.`,
      exhibits: [
        { kind: "output", command: "openssl x509 -in leaf.pem -noout -subject -ext subjectAltName", text: `subject=${opensslName(cert.subject)}\nX509v3 Subject Alternative Name: \n    ${sanText(cert.san)}` },
      ],
      view: { options },
      key,
      rubric: { options: rubric },
      misconceptions,
      hints: [
        "Which part of the certificate does a modern client compare the host with — and which part does it ignore?",
        "A wildcard stands for how many labels, and in what position may it appear?",
        "An address typed as the host is compared with a different kind of entry than a DNS name.",
      ],
      explanation:
        `RFC 9525 compares the reference identity only with subjectAltName entries: here ${sanText(cert.san)}. The subject CN (${cert.commonName}) is never consulted. ` +
        `A wildcard is allowed only as the whole left-most label and stands for exactly one label, so *.${p.domain} covers www.${p.domain} but neither ${p.domain} nor img.cdn.${p.domain}; a partial label such as w*.${p.domain} matches nothing. ` +
        `An IP address matches only an iPAddress entry, and a look-alike such as www.${p.domain}.attacker.example is a different name altogether. ` +
        `Covered here: ${key.choices.map((c) => names[c]).join(", ")}.`,
      lab: certsLab(SAMPLE_FOR[p.style as Style]),
    };
  },
};
