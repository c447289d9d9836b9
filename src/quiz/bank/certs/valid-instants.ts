import { seededRandom } from "../../../sim/random";
import { keyIdSignatures, makeCertModel } from "../../../sim/tls/x509/model";
import type { Verdict } from "../../../sim/tls/x509/types";
import { validatePath } from "../../../sim/tls/x509/validate";
import type { Template } from "../../engine/types";
import { orderedChoices, orderRandom, pick } from "../draw";
import { certsLab, LESSON, opensslDate } from "./shared";

/**
 * At which instants is this chain valid? Three validity periods (leaf, intermediate, root) drawn from the seed,
 * five instants including a bound itself and the second after it. The key is the engine's `validatePath` run at
 * each instant (no host): every certificate's period must contain the instant, both bounds inclusive (RFC 5280
 * §4.1.2.5), so the chain is valid only in the intersection of the three.
 */
const ID = "valid-instants";

const LEAF_STARTS = ["2026-01-01T00:00:00Z", "2026-03-15T00:00:00Z", "2026-05-01T12:00:00Z"] as const;
const LEAF_DAYS = [47, 90, 200, 398] as const;
const INTERMEDIATE_ENDS = ["2026-04-30T23:59:59Z", "2026-06-30T23:59:59Z", "2027-03-01T00:00:00Z", "2030-12-31T23:59:59Z"] as const;
const INTERMEDIATE_STARTS = ["2024-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z"] as const;

const addSeconds = (iso: string, s: number) => new Date(Date.parse(iso) + s * 1000).toISOString().replace(/\.000Z$/, "Z");
const dayText = (iso: string) => iso.replace("T", " ").replace("Z", " UTC");

/** The leaf's and the intermediate's periods for these draws; the question needs them to overlap. */
function periods(p: Readonly<Record<string, string | number>>) {
  const leafStart = LEAF_STARTS[p.leafStart as number]!;
  const leafEnd = addSeconds(leafStart, LEAF_DAYS[p.leafDays as number]! * 86400 - 1);
  return { leafStart, leafEnd, caStart: INTERMEDIATE_STARTS[p.caStart as number]!, caEnd: INTERMEDIATE_ENDS[p.caEnd as number]! };
}

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { leafStart: 0, leafDays: 1, caStart: 0, caEnd: 2 };
  const r = seededRandom(seed);
  // Draw until the two periods overlap (a chain valid at no instant would have no right option to tick).
  for (;;) {
    const p = {
      leafStart: Math.floor(r() * LEAF_STARTS.length),
      leafDays: Math.floor(r() * LEAF_DAYS.length),
      caStart: Math.floor(r() * INTERMEDIATE_STARTS.length),
      caEnd: Math.floor(r() * INTERMEDIATE_ENDS.length),
    };
    const t = periods(p);
    if ([t.leafStart, t.caStart].sort()[1]! <= [t.leafEnd, t.caEnd].sort()[0]!) return p;
  }
}



export const validInstants: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "When is this chain valid?",
  lesson: LESSON,
  concepts: ["x509-chain"],
  file: "src/quiz/bank/certs/valid-instants.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const { leafStart, leafEnd, caStart, caEnd } = periods(p);
    const root = makeCertModel({ subject: "CN=Example Root CA", issuer: "CN=Example Root CA", notBefore: "2020-01-01T00:00:00Z", notAfter: "2040-12-31T23:59:59Z", basicConstraints: { ca: true, pathLen: null, critical: true }, keyUsage: ["keyCertSign", "cRLSign"], authorityKeyId: null });
    const ca = makeCertModel({ subject: "CN=Example Issuing CA 1", issuer: "CN=Example Root CA", notBefore: caStart, notAfter: caEnd, basicConstraints: { ca: true, pathLen: 0, critical: true }, keyUsage: ["keyCertSign", "cRLSign"] });
    const leaf = makeCertModel({ subject: "CN=www.example.com", issuer: "CN=Example Issuing CA 1", notBefore: leafStart, notAfter: leafEnd, san: [{ type: "dns", value: "www.example.com" }], basicConstraints: { ca: false, pathLen: null, critical: true }, keyUsage: ["digitalSignature"], extendedKeyUsage: ["serverAuth"] });
    const verdictAt = (at: string): Verdict => validatePath({ chain: [leaf, ca], roots: [root], at, signatureOk: keyIdSignatures() });
    // Instants: the bounds that decide (the later start, the earlier end), a second outside each, and a midpoint.
    const start = [leaf.notBefore, ca.notBefore].sort().at(-1)!;
    const end = [leaf.notAfter, ca.notAfter].sort()[0]!;
    const r = seededRandom(seed ^ 0x5bd1e995);
    const candidates = [...new Set([
      start,
      addSeconds(start, -1),
      end,
      addSeconds(end, 1),
      addSeconds(start, Math.floor((Date.parse(end) - Date.parse(start)) / 2000)),
      pick(r, [leaf.notAfter, ca.notAfter, leaf.notBefore, ca.notBefore]),
      addSeconds(pick(r, [leaf.notAfter, ca.notAfter]), 86400 * 30),
    ])].slice(0, 6);
    const ids = candidates.map((_, i) => `t${i}`);
    const verdicts = candidates.map(verdictAt);
    const key = { choices: ids.filter((_, i) => verdicts[i]!.result === "SUCCESS") };
    const options = orderedChoices(orderRandom(seed, ID), candidates.map((at, i) => ({ id: ids[i]!, text: dayText(at) })));
    const rubric = Object.fromEntries(candidates.map((at, i) => {
      const v = verdicts[i]!;
      return [ids[i]!, { why: v.result === "SUCCESS" ? `Valid: ${at} lies within all three periods (bounds inclusive).` : `Not valid: ${v.checks.find((c) => !c.ok)?.detail ?? v.message}`, step: null }];
    }));
    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt: "A server sends the leaf and intermediate below; the client trusts the root (valid 2020–2040). Ignoring everything but time — signatures, names and usages are all fine — at which of these instants does the chain validate? Tick every one.",
      exhibits: [
        { kind: "output", command: "openssl x509 -in leaf.pem -noout -subject -dates", text: `subject=CN = www.example.com\nnotBefore=${opensslDate(leaf.notBefore)}\nnotAfter=${opensslDate(leaf.notAfter)}` },
        { kind: "output", command: "openssl x509 -in intermediate.pem -noout -subject -dates", text: `subject=CN = Example Issuing CA 1\nnotBefore=${opensslDate(ca.notBefore)}\nnotAfter=${opensslDate(ca.notAfter)}` },
      ],
      view: { options },
      key,
      rubric: { options: rubric },
      misconceptions: [],
      hints: [
        "Every certificate in the path must be valid at the instant, not just the leaf.",
        "Are notBefore and notAfter themselves inside the period?",
      ],
      explanation:
        `A path is valid at an instant only if every certificate's period contains it (RFC 5280 §6.1.3 (a)(2)), and both notBefore and notAfter are inclusive (§4.1.2.5). ` +
        `The leaf runs ${leaf.notBefore} … ${leaf.notAfter} and the intermediate ${ca.notBefore} … ${ca.notAfter}, so the chain is valid from ${start} through ${end}, both included.`,
      lab: certsLab("expired-leaf"),
    };
  },
};
