import { seededRandom } from "../../../sim/random";
import { decideCaa, formatCaa, type CaaModel, type CaaRecord, type ZoneView } from "../../../sim/tls/acme/caa";
import { ISSUER_NAMES, ISSUERS } from "../../../sim/tls/acme/scenarios";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { orderedChoices, orderRandom, pick } from "../draw";
import { LESSON, labLink } from "./shared";

/**
 * CAA by hand: the records at a name and its parents, as dig prints them; which CAs may issue? The
 * key is src/sim/tls/acme/caa.ts's RFC 8659 processing; `caa-no-climb` and `issuewild-ignored` are the
 * same code with the wrong rule.
 */
const ID = "caa-decision";
const rec = (tag: string, value: string, flags = 0): CaaRecord => ({ flags, tag, value });
const SETS: readonly (readonly CaaRecord[])[] = [
  [],
  [rec("issue", "letsencrypt.org")],
  [rec("issue", "pki.goog"), rec("issue", "sectigo.com")],
  [rec("issue", ";")],
  [rec("issue", "letsencrypt.org"), rec("issuewild", "pki.goog")],
  [rec("iodef", "mailto:security@example.com")],
  [rec("issue", "sectigo.com"), rec("tbs", "unknown", 128)],
  [rec("issue", "pki.goog"), rec("issuewild", ";")],
];
const NAMES = [
  { ordered: "api.eu.example.com", wildcard: false },
  { ordered: "*.eu.example.com", wildcard: true },
  { ordered: "eu.example.com", wildcard: false },
];

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { name: 0, apex: 1, mid: 0, leaf: 0 };
  const r = seededRandom(seed);
  return { name: Math.floor(r() * NAMES.length), apex: 1 + Math.floor(r() * (SETS.length - 1)), mid: pick(r, [0, 0, 0, 1, 2, 3, 4, 5, 7]), leaf: pick(r, [0, 0, 0, 0, 2, 3]) };
}

function zoneOf(p: Record<string, string | number>): ZoneView {
  return {
    "example.com": { caa: SETS[p.apex as number]! },
    "eu.example.com": { caa: SETS[p.mid as number]! },
    "api.eu.example.com": { caa: SETS[p.leaf as number]! },
  };
}

export const caaDecision: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "Which CAs does CAA allow?",
  lesson: LESSON,
  concepts: ["acme", "dns-delegation"],
  file: `src/quiz/bank/acme/${ID}.ts`,
  params,
  variant(seed) {
    const p = params(seed);
    const name = NAMES[p.name as number]!;
    const zone = zoneOf(p);
    const at = name.wildcard ? name.ordered.slice(2) : name.ordered;
    const allowedUnder = (model: CaaModel) => ISSUERS.filter((i) => decideCaa(zone, at, name.wildcard, i, model).allowed);
    const toChoices = (list: readonly string[]) => (list.length ? [...list] : ["none"]);
    const allowed = allowedUnder("rfc");
    const key = { choices: toChoices(allowed) };
    const options = orderedChoices(orderRandom(seed, ID), [...ISSUERS.map((i) => ({ id: i, text: `${ISSUER_NAMES[i]} (${i})` })), { id: "none", text: "None of these CAs" }]);
    const decisions = Object.fromEntries(ISSUERS.map((i) => [i, decideCaa(zone, at, name.wildcard, i)]));
    const first = decisions[ISSUERS[0]]!;
    const rubric: Record<string, { why: string; step: string | null }> = Object.fromEntries(
      ISSUERS.map((i) => [i, { why: `${decisions[i]!.allowed ? "Allowed" : "Not allowed"}: ${decisions[i]!.reason}`, step: "caa" }]),
    );
    rubric.none = { why: allowed.length ? `At least one CA is allowed (${allowed.join(", ")}).` : "Right: no CA here is authorised.", step: "caa" };
    const dig = Object.entries(zone).flatMap(([n, rr]) => (rr.caa ?? []).map((r) => formatCaa(n, r)));
    const empty = Object.entries(zone).filter(([, rr]) => !(rr.caa ?? []).length).map(([n]) => n);
    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt: `A CA is asked for a certificate for ${name.ordered}; domain validation has passed. The zone's CAA records are shown (names not listed have none). Which of these CAs may issue it? Choose every one that may, or "None of these CAs".`,
      exhibits: [{ kind: "output", command: "dig +noall +answer CAA example.com eu.example.com api.eu.example.com", text: `${dig.join("\n") || ";; no CAA records"}\n;; no CAA at: ${empty.join(", ") || "(every name has some)"}` }],
      view: { options },
      key,
      rubric: { options: rubric },
      misconceptions: misconceptionAnswers<"multiple-choice">(
        ["caa-no-climb", "issuewild-ignored"],
        (model) => ({ choices: toChoices(allowedUnder(model as CaaModel)) }),
        key,
        (a, b) => JSON.stringify([...a.choices].sort()) === JSON.stringify([...b.choices].sort()),
      ),
      hints: [
        name.wildcard ? `For ${name.ordered}, the CA looks for CAA starting at ${at}.` : `Start at ${at}; if it has no CAA, move to its parent.`,
        "Only the first non-empty set counts. Then: a critical unknown tag forbids; for a wildcard, issuewild decides if present; issue \";\" names nobody.",
      ],
      explanation: `The relevant set is the first non-empty one from ${at} upwards: ${first.foundAt ? `${first.foundAt}'s (${first.records.map((r) => `${r.flags} ${r.tag} "${r.value}"`).join(", ")})` : "none at all, so CAA does not restrict"}. ${ISSUERS.map((i) => `${ISSUER_NAMES[i]}: ${decisions[i]!.allowed ? "yes" : "no"}`).join("; ")} (RFC 8659 §3–4).`,
      lab: labLink({ scenario: "dangling-cname", challenge: "http-01", caa: "letsencrypt", issuer: "pki.goog" }),
    };
  },
};
