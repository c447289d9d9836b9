/**
 * What the certs questions share: the lesson and its lab (the certificate lab reads `certs.sample` — a sample
 * id of src/sim/tls/samples.ts — and `certs.step`), certificate models built by hand from a variant's
 * parameters (the engine's checks run on models, so a question needs no WebCrypto and stays synchronous),
 * and the answers the engine's wrong name models give.
 */
import type { CertModel, GeneralName } from "../../../sim/tls/x509/types";
import type { AnswerOf, LabLink, MisconceptionAnswer, QuestionKind } from "../../engine/types";

export const LESSON = "validating-a-certificate-chain";
export const LESSON_PAGE = "/lessons/validating-a-certificate-chain/";
export const LAB_ID = "certs";

/** The engine's wrong or legacy name models, each a misconception of misconceptions/x509.ts. */
export const NAME_MODELS = ["cn-fallback", "partial-wildcard", "multi-label-wildcard"] as const;

/** The lab, opened on a sample that shows the variant's point (or on its default sample). */
export function certsLab(sample: string | null): LabLink {
  return { page: LESSON_PAGE, lab: LAB_ID, query: sample ? { [`${LAB_ID}.sample`]: sample } : {} };
}

/**
 * The answers wrong models give, each kept only when it differs from the key and from every answer kept before
 * it (two models with one answer could not both be named by the grader).
 */
export function wrongModelAnswers<K extends QuestionKind>(models: readonly string[], answerUnder: (model: string) => AnswerOf[K] | null, key: AnswerOf[K]): MisconceptionAnswer<K>[] {
  const out: MisconceptionAnswer<K>[] = [];
  const seen = new Set([JSON.stringify(key)]);
  for (const misconception of models) {
    const answer = answerUnder(misconception);
    if (answer === null || seen.has(JSON.stringify(answer))) continue;
    seen.add(JSON.stringify(answer));
    out.push({ misconception, answer });
  }
  return out;
}

/** How a certificate's names read in an exhibit, `openssl x509 -text` style. */
export function sanText(san: readonly GeneralName[] | null): string {
  if (san === null) return "(no subjectAltName extension)";
  return san.map((n) => `${n.type === "ip" ? "IP Address" : n.type === "dns" ? "DNS" : n.type}:${n.value}`).join(", ");
}

/** `Jan  1 00:00:00 2025 GMT`, as OpenSSL prints a validity bound. */
export function opensslDate(iso: string): string {
  const d = new Date(iso);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const t = iso.slice(11, 19);
  return `${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${t} ${d.getUTCFullYear()} GMT`;
}

/** An RFC 4514 name ("CN=www.example.com, O=Example") as `openssl x509 -subject` prints it: in DER order, "O = Example, CN = www.example.com". */
export function opensslName(rfc4514: string): string {
  return rfc4514.split(/,\s*/).reverse().map((rdn) => rdn.replace("=", " = ")).join(", ");
}

const KU: Readonly<Record<string, string>> = { digitalSignature: "Digital Signature", keyEncipherment: "Key Encipherment", keyCertSign: "Certificate Sign", cRLSign: "CRL Sign" };
const EKU: Readonly<Record<string, string>> = { serverAuth: "TLS Web Server Authentication", clientAuth: "TLS Web Client Authentication", codeSigning: "Code Signing" };

/** A certificate's fields as `openssl x509 -noout -text` names them (the lines the checks read), indented under a heading. */
export function certText(heading: string, cert: CertModel): string {
  const bc = cert.basicConstraints;
  const nc = cert.nameConstraints;
  return [
    heading,
    `    Subject: ${opensslName(cert.subject)}`,
    `    Issuer: ${opensslName(cert.issuer)}`,
    `    Not Before: ${opensslDate(cert.notBefore)}`,
    `    Not After : ${opensslDate(cert.notAfter)}`,
    ...(bc ? [`    X509v3 Basic Constraints:${bc.critical ? " critical" : ""}`, `        CA:${bc.ca ? "TRUE" : "FALSE"}${bc.pathLen !== null ? `, pathlen:${bc.pathLen}` : ""}`] : []),
    ...(cert.keyUsage ? ["    X509v3 Key Usage: critical", `        ${cert.keyUsage.map((k) => KU[k] ?? k).join(", ")}`] : []),
    ...(cert.extendedKeyUsage ? ["    X509v3 Extended Key Usage:", `        ${cert.extendedKeyUsage.map((k) => EKU[k] ?? k).join(", ")}`] : []),
    ...(nc
      ? [
          "    X509v3 Name Constraints: critical",
          ...(nc.permitted.length ? ["        Permitted:", ...nc.permitted.map((n) => `          ${n.type === "dns" ? "DNS" : "IP"}:${n.value}`)] : []),
          ...(nc.excluded.length ? ["        Excluded:", ...nc.excluded.map((n) => `          ${n.type === "dns" ? "DNS" : "IP"}:${n.value}`)] : []),
        ]
      : []),
    ...(cert.san ? ["    X509v3 Subject Alternative Name:", `        ${sanText(cert.san)}`] : []),
  ].join("\n");
}
