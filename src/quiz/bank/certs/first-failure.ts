import { seededRandom } from "../../../sim/random";
import { keyIdSignatures, makeCertModel } from "../../../sim/tls/x509/model";
import type { CertModel, CheckId, CheckResult, NameModel, Verdict } from "../../../sim/tls/x509/types";
import { validatePath } from "../../../sim/tls/x509/validate";
import type { Choice, Template, Why } from "../../engine/types";
import { orderedChoices, orderRandom, pick } from "../draw";
import { certsLab, certText, LESSON, NAME_MODELS, wrongModelAnswers } from "./shared";

/**
 * Which check fails first, and on which certificate? A server's chain (leaf and intermediate), the client's trust
 * anchor, a host and an instant, with one or two defects drawn from the seed. The key is the engine's
 * `validatePath` over hand-built models (signatures stated by key identifiers); a wrong name model's answer is
 * `validatePath` run under that `NameModel`.
 */
const ID = "first-failure";

/** Each defect breaks one rule on one certificate. */
const DEFECTS = [
  "none", "expired-leaf", "future-intermediate", "expired-root", "intermediate-not-ca", "intermediate-no-bc", "root-pathlen-0",
  "intermediate-no-certsign", "leaf-client-eku", "leaf-ku-encipherment", "name-constrained", "wrong-host", "cn-only",
  "wildcard-deep", "partial-wildcard", "missing-intermediate", "forged-leaf", "self-signed-leaf",
] as const;
type Defect = (typeof DEFECTS)[number];
/** A second defect, later in the engine's order than most first ones: the question is which is found first. */
const SECOND = ["none", "none", "wrong-host", "leaf-client-eku", "expired-leaf", "intermediate-no-certsign"] as const;

const DOMAINS = ["example.com", "shop.example.net", "example.org"] as const;
const AT = "2026-06-01T12:00:00Z";
/** The lab's sample (src/sim/tls/samples.ts) that fails the same way, where there is one. */
const SAMPLE_FOR: Partial<Record<Defect, string>> = {
  "expired-leaf": "expired-leaf",
  "wrong-host": "wrong-host",
  "self-signed-leaf": "self-signed-leaf",
  "missing-intermediate": "missing-intermediate",
  "intermediate-not-ca": "intermediate-not-ca",
  "root-pathlen-0": "pathlen-exceeded",
  "leaf-client-eku": "client-auth-only",
  "name-constrained": "name-constraints-violated",
  "cn-only": "cn-only",
  "wildcard-deep": "wildcard-two-labels",
  "partial-wildcard": "partial-wildcard",
  "forged-leaf": "forged-signature",
  "expired-root": "expired-root",
};

/**
 * The domain and the defects, as a set ("expired-leaf+wrong-host", sorted; "none" for a clean chain). A second
 * defect that would not change what the client receives (a host change under wildcard-deep, an intermediate that
 * is not sent) is dropped, so two different params always mean two different chains.
 */
function params(seed: number): Record<string, string> {
  if (seed === 0) return { domain: "example.com", defects: "expired-leaf+wrong-host" };
  const r = seededRandom(seed);
  const first = pick(r, DEFECTS);
  const second = pick(r, SECOND);
  const domain = pick(r, DOMAINS);
  const set = [...new Set([first, second].filter((d) => d !== "none"))].sort() as Defect[];
  const kept = set.length === 2 && set.some((d) => JSON.stringify(setup(domain, new Set(set))) === JSON.stringify(setup(domain, new Set(set.filter((x) => x !== d))))) ? [first === "none" ? second : first] : set;
  return { domain, defects: kept.filter((d) => d !== "none").join("+") || "none" };
}

const defectsOf = (p: Readonly<Record<string, string>>) => new Set((p.defects === "none" ? [] : p.defects!.split("+")) as Defect[]);

interface Setup {
  readonly chain: readonly CertModel[];
  readonly roots: readonly CertModel[];
  readonly host: string;
  readonly forged: readonly string[];
}

function setup(domain: string, defects: ReadonlySet<Defect>): Setup {
  const has = (d: Defect) => defects.has(d);
  const rootName = "CN=Example Root CA, O=Example";
  const caName = "CN=Example Issuing CA 1, O=Example";
  const host = has("wildcard-deep") ? `img.cdn.${domain}` : has("wrong-host") ? `mail.${domain}` : `www.${domain}`;
  const root = makeCertModel({
    subject: rootName, issuer: rootName, notBefore: "2020-01-01T00:00:00Z", notAfter: has("expired-root") ? "2026-03-31T23:59:59Z" : "2040-12-31T23:59:59Z",
    basicConstraints: { ca: true, pathLen: has("root-pathlen-0") ? 0 : null, critical: true }, keyUsage: ["keyCertSign", "cRLSign"], authorityKeyId: null,
  });
  const intermediate = makeCertModel({
    subject: caName, issuer: rootName, notBefore: has("future-intermediate") ? "2026-07-01T00:00:00Z" : "2025-01-01T00:00:00Z", notAfter: "2030-12-31T23:59:59Z",
    basicConstraints: has("intermediate-no-bc") ? null : { ca: !has("intermediate-not-ca"), pathLen: has("intermediate-not-ca") ? null : 0, critical: true },
    keyUsage: has("intermediate-no-certsign") ? ["digitalSignature"] : ["keyCertSign", "cRLSign"],
    extendedKeyUsage: ["serverAuth", "clientAuth"],
    nameConstraints: has("name-constrained") ? { permitted: [{ type: "dns", value: `intranet.${domain}` }], excluded: [] } : null,
  });
  const leafName = `CN=www.${domain}`;
  const san = has("cn-only") ? null
    : has("wildcard-deep") ? [{ type: "dns" as const, value: `*.${domain}` }]
    : has("partial-wildcard") ? [{ type: "dns" as const, value: `w*.${domain}` }]
    : [{ type: "dns" as const, value: `www.${domain}` }, { type: "dns" as const, value: domain }];
  const selfSigned = has("self-signed-leaf");
  const leaf = makeCertModel({
    subject: leafName, issuer: selfSigned ? leafName : caName, ...(selfSigned ? { authorityKeyId: null } : {}),
    notBefore: "2026-01-01T00:00:00Z", notAfter: has("expired-leaf") ? "2026-05-31T23:59:59Z" : "2026-09-30T23:59:59Z",
    san, basicConstraints: { ca: false, pathLen: null, critical: true },
    keyUsage: has("leaf-ku-encipherment") ? ["keyEncipherment"] : ["digitalSignature"],
    extendedKeyUsage: has("leaf-client-eku") ? ["clientAuth"] : ["serverAuth"],
  });
  // A self-signed leaf verifies under its own key: give it the key-id link to itself.
  const leafFinal = selfSigned ? { ...leaf, authorityKeyId: leaf.subjectKeyId } : leaf;
  return {
    chain: has("missing-intermediate") || selfSigned ? [leafFinal] : [leafFinal, intermediate],
    roots: [root],
    host,
    forged: has("forged-leaf") ? [leafFinal.fingerprint] : [],
  };
}

function run(s: Setup, model: NameModel = "rfc9525"): Verdict {
  return validatePath({ chain: s.chain, roots: s.roots, at: AT, host: s.host, nameModel: model, signatureOk: keyIdSignatures(s.forged) });
}

const ROLE = ["the leaf", "the intermediate", "the root"] as const;
/** Roles by position in the built path: 0 the leaf, then the intermediate, the anchor last (or the root's role by name). */
function roleOf(v: Verdict, r: CheckResult): number {
  const pos = r.certificate ?? 0;
  const entry = v.path[pos];
  if (!entry) return 0;
  if (pos === 0) return 0;
  return entry.source === "roots" ? 2 : 1;
}

const CHECK_TEXT: Readonly<Record<CheckId, string>> = {
  parse: "Parsing",
  path: "Path building (no issuer found)",
  signature: "The signature check",
  validity: "The validity-period check",
  "basic-constraints": "The basicConstraints check",
  "key-usage": "The keyUsage check",
  "extended-key-usage": "The extendedKeyUsage check",
  "name-constraints": "The name-constraints check",
  "self-signed": "The self-signed-leaf check",
  name: "The host-name check",
  "critical-extensions": "The critical-extensions check (an extension the client does not know)",
};

const optionId = (check: CheckId, role: number) => `${check}@${role}`;
function answerOf(v: Verdict): string {
  if (v.result === "SUCCESS") return "trusted";
  const failed = v.checks.find((c) => !c.ok)!;
  return optionId(failed.check, roleOf(v, failed));
}
function optionText(id: string): string {
  if (id === "trusted") return "No check fails: the client trusts the chain";
  const [check, role] = id.split("@") as [CheckId, string];
  return `${CHECK_TEXT[check]} fails, on ${ROLE[Number(role)]}`;
}

/** Plausible failures to offer beside the key, in a fixed order (the seed shuffles what is shown). */
const POOL = ["validity@0", "validity@1", "validity@2", "basic-constraints@1", "basic-constraints@2", "key-usage@0", "key-usage@1", "extended-key-usage@0", "name-constraints@0", "name@0", "path@0", "signature@0", "self-signed@0"];

export const firstFailure: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Which check fails first?",
  lesson: LESSON,
  concepts: ["x509-chain"],
  file: "src/quiz/bank/certs/first-failure.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const defects = defectsOf(p);
    const s = setup(p.domain!, defects);
    const verdict = run(s);
    const keyId = answerOf(verdict);
    const misconceptions = wrongModelAnswers<"single-choice">(NAME_MODELS, (m) => ({ choice: answerOf(run(s, m as NameModel)) }), { choice: keyId });
    // The options: the key, "trusted", each wrong model's answer, then distractors drawn from the pool.
    const r = orderRandom(seed, ID);
    const ids = [...new Set([keyId, "trusted", ...misconceptions.map((m) => m.answer.choice)])];
    const pool = POOL.filter((id) => !ids.includes(id));
    while (ids.length < 5 && pool.length) ids.push(pool.splice(Math.floor(r() * pool.length), 1)[0]!);
    const options: Choice[] = orderedChoices(r, ids.map((id) => ({ id, text: optionText(id) })));
    const failed = verdict.checks.find((c) => !c.ok);
    const rubric: Record<string, Why> = {};
    for (const id of ids) {
      if (id === keyId) {
        rubric[id] = { why: verdict.result === "SUCCESS" ? `Right: every check passes — ${verdict.message}` : `Right: ${failed!.detail} (${failed!.rule}).`, step: null };
        continue;
      }
      if (id === "trusted") {
        rubric[id] = { why: `No: ${verdict.message}`, step: null };
        continue;
      }
      const [check, role] = id.split("@") as [CheckId, string];
      const seen = verdict.checks.find((c) => c.ok && c.check === check && roleOf(verdict, c) === Number(role));
      rubric[id] = {
        why: seen
          ? `No: this check passes — ${seen.detail}`
          : `No: ${failed ? `the engine stops at the first failure (${CHECK_TEXT[failed.check].toLowerCase()} on ${ROLE[roleOf(verdict, failed)]}), so it never gets here` : "every check passes"}${check === "self-signed" || check === "path" ? "" : ""}.`,
        step: null,
      };
    }
    const sent = s.chain.map((c, i) => certText(`Certificate ${i} sent by the server${i === 0 ? " (the leaf)" : ""}:`, c)).join("\n");
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `A client connects to ${s.host} at ${AT} and receives the certificates below; its trust store holds the root shown. Signatures verify wherever a certificate's authority key identifier matches the key above it${s.forged.length ? ", except that the leaf's signature does not verify under the intermediate's key" : ""}. Checking in the usual order (path, signatures, validity, basicConstraints, keyUsage, extendedKeyUsage, name constraints, then the host name), which check fails first, and on which certificate?`,
      exhibits: [
        { kind: "output", command: "openssl x509 -noout -text   # the chain as sent, abridged", text: sent },
        { kind: "output", command: "openssl x509 -noout -text   # the client's trust anchor, abridged", text: certText("Trusted root:", s.roots[0]!) },
      ],
      view: { options },
      key: { choice: keyId },
      rubric: { options: rubric },
      misconceptions,
      hints: [
        "Can the client build a path from the leaf to the trusted root at all?",
        `Compare each certificate's validity period with ${AT}, then ask which certificates may issue others.`,
        "Only the leaf is matched against the host name, and only through its subjectAltName.",
      ],
      explanation:
        `Validation builds the path leaf → intermediate → trusted root, then checks signatures, each certificate's validity (bounds inclusive), that every issuer is a CA within its path length, key usage, the leaf's serverAuth purpose, name constraints and finally the host name, stopping at the first failure. ` +
        (verdict.result === "SUCCESS" ? `Here every check passes: ${verdict.message}` : `Here it stops at ${CHECK_TEXT[failed!.check].toLowerCase()} on ${ROLE[roleOf(verdict, failed!)]}: ${failed!.detail}`),
      lab: certsLab([...defects].map((d) => SAMPLE_FOR[d]).find((x) => x !== undefined) ?? null),
    };
  },
};
