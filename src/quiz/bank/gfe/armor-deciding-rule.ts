import { decodeSecurityPolicy, evaluateSecurityPolicy, type SecurityPolicy } from "../../../sim/edge/cloud-armor";
import { parseHttpRequest } from "../../../sim/edge/gfe-request";
import { seededRandom } from "../../../sim/random";
import type { Template, Why } from "../../engine/types";
import { exportYaml, labAt, LESSON } from "./shared";
import { pick, shuffle } from "../draw";

/**
 * Which rule of a Cloud Armor policy decides a request, with the rules listed in a seeded order. The
 * key is the evaluator's verdict; the armor-first-listed model (rules taken in listing order) is its
 * misconception.
 */
const ID = "armor-deciding-rule";
const src = (ranges: string[]) => ({ versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ranges } });
const expr = (expression: string) => ({ expr: { expression } });
const RULES = [
  { priority: 100, action: "deny(403)", description: "known scanner", match: src(["198.51.100.0/24"]) },
  { priority: 200, action: "allow", description: "office may reach admin", match: expr("inIpRange(origin.ip, '203.0.113.0/24') && request.path.startsWith('/admin')") },
  { priority: 300, action: "deny(404)", description: "hide admin", match: expr("request.path.matches('^/admin')") },
  { priority: 400, action: "deny(403)", description: "region block", match: expr("origin.region_code == 'AQ'") },
  {
    priority: 1000, action: "throttle", description: "slow down scripts", match: expr("request.headers['user-agent'].contains('curl')"),
    rateLimitOptions: { conformAction: "allow", exceedAction: "deny(429)", enforceOnKey: "IP", rateLimitThreshold: { count: 60, intervalSec: 60 } },
  },
] as const;
const IPS = ["198.51.100.20", "203.0.113.9", "192.0.2.55"] as const;
const REGIONS = ["FR", "AQ", "US"] as const;
const PATHS = ["/admin/users", "/", "/shop/cart"] as const;
const AGENTS = ["Mozilla/5.0", "curl/8.5.0"] as const;
const DEFAULT_PRIORITY = 2147483647;

function params(seed: number) {
  if (seed === 0) return { order: "4,0,3,2,1,5", ip: "203.0.113.9", region: "FR", path: "/admin/users", agent: "Mozilla/5.0", fallback: "deny(403)" };
  const random = seededRandom(seed);
  return {
    order: shuffle(random, [0, 1, 2, 3, 4, 5]).join(","), ip: pick(random, IPS), region: pick(random, REGIONS), path: pick(random, PATHS),
    agent: pick(random, AGENTS), fallback: pick(random, ["allow", "deny(403)"]),
  };
}

export const armorDecidingRule: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "Which Cloud Armor rule decides?",
  lesson: LESSON,
  concepts: ["cloud-armor", "gfe"],
  file: "src/quiz/bank/gfe/armor-deciding-rule.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const all = [...RULES, { priority: DEFAULT_PRIORITY, action: p.fallback, description: "default rule", match: src(["*"]) }];
    const raw = { name: "shop-policy", rules: p.order.split(",").map((i) => all[Number(i)]!) };
    const policy: SecurityPolicy = decodeSecurityPolicy(raw);
    const request = parseHttpRequest({ url: `https://shop.example.com${p.path}`, headersText: `User-Agent: ${p.agent}` });
    const one = [{ t: 0, ip: p.ip, regionCode: p.region, request }];
    const real = evaluateSecurityPolicy(policy, one)[0]!;
    const wrong = evaluateSecurityPolicy(policy, one, "armor-first-listed")[0]!;
    const key = String(real.rule.priority);
    const label = (r: (typeof all)[number]) => `priority ${r.priority} (${r.action}, ${r.description})`;
    const result = real.status === null ? "the request goes on to the backend" : `the GFE answers ${real.status}`;
    const whyOf = (r: (typeof all)[number]): Why => {
      const ev = real.evaluated.find((e) => e.priority === r.priority);
      if (String(r.priority) === key) return { why: `Priority ${r.priority}: ${ev?.why}; it is the lowest-numbered rule that matches, so it decides (${real.outcome}) and ${result}.`, step: null };
      if (String(r.priority) === String(wrong.rule.priority)) return { why: `It comes first in the listing, but Cloud Armor sorts by priority, lowest number first: priority ${key} is evaluated earlier and matches.`, step: null };
      if (!ev) return { why: `Never evaluated: priority ${key} matched first and evaluation stopped there.`, step: null };
      return { why: `Evaluated before the deciding rule, and it does not match: ${ev.why}.`, step: null };
    };
    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt: `The shop's backend service has the security policy below (as exported, rules in the order listed). A request for ${p.path} arrives from ${p.ip} (region ${p.region}) with User-Agent: ${p.agent}. Give the priority number of the rule that decides what happens to it.`,
      exhibits: [{ kind: "output", command: "gcloud compute security-policies export shop-policy", text: exportYaml(raw) }],
      view: { unit: "count", label: "Priority of the deciding rule" },
      key: { value: real.rule.priority },
      rubric: {
        value: real.rule.priority, unit: "count", absolute: 0, relative: 0,
        why: { why: `${whyOf(all.find((r) => r.priority === real.rule.priority)!).why} ${all.filter((r) => r.priority !== real.rule.priority).map((r) => `${label(r)}: ${whyOf(r).why}`).join(" ")}`, step: null },
      },
      misconceptions: wrong.rule.priority !== real.rule.priority ? [{ misconception: "armor-first-listed", answer: { value: wrong.rule.priority } }] : [],
      hints: [
        "Ignore the order of the listing: sort the rules by priority, lowest number first.",
        "The first rule that matches decides; a throttle rule that matches and is under its threshold decides too — with allow.",
      ],
      explanation: `Cloud Armor evaluates the rules by priority number, lowest first, and stops at the first match: ${real.evaluated.map((e) => `${e.priority} ${e.matched ? "matches" : "does not match"}`).join(", ")}. So priority ${key} decides: ${real.outcome}, and ${result}.`,
      // The example URL map sends www.example.com to the web service, where the policy is attached; a slow
      // rate keeps the throttle rule under its threshold, as for the question's single request.
      lab: labAt({ url: `https://www.example.com${p.path}`, headers: `User-Agent: ${p.agent}`, ip: p.ip, region: p.region, rate: "0.1", policyYaml: exportYaml(raw) }),
    };
  },
};
