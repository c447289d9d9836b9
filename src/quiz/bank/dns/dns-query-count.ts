import { seededRandom } from "../../../sim/random";
import { DNS_SETUPS, RESOLVER_CACHES, type DnsChainInput, type DnsSetup, type ResolverCache } from "../../../sim/edge/dns-chain";
import type { Template } from "../../engine/types";
import { CACHE_WORDS, chain, chainExhibit, chainLab, LESSON, misconceptionAnswers, SETUP_WORDS } from "./shared";
import { pick } from "../draw";

/**
 * How many queries the resolver sends for one lookup: the chain's own count, for a cold, warm or hot
 * cache. The registrar-answers-queries model adds the registrar as a step, and its count is computed
 * by running the chain under that model.
 */
const ID = "dns-query-count";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { setup: "proxied", cache: "cold", qmin: "on" };
  const random = seededRandom(seed);
  return { setup: pick(random, DNS_SETUPS), cache: pick(random, RESOLVER_CACHES), qmin: pick(random, ["on", "off"]) };
}

const inputOf = (p: Record<string, string>): DnsChainInput => ({ setup: p.setup as DnsSetup, cache: p.cache as ResolverCache, qnameMinimisation: p.qmin === "on" });

export const dnsQueryCount: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "How many queries does the resolver send?",
  lesson: LESSON,
  concepts: ["dns", "dns-delegation"],
  file: "src/quiz/bank/dns/dns-query-count.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const input = inputOf(p);
    const c = chain(input);
    const value = c.resolverQueries;
    const asked = c.steps.filter((s) => s.from.role === "resolver" && s.query);
    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt:
        `${SETUP_WORDS[input.setup]}. A browser asks its ISP's recursive resolver for www.example.com (type A). The resolver ${CACHE_WORDS[input.cache]}` +
        `${input.qnameMinimisation ? ", and it minimises query names (RFC 9156)" : ""}. How many queries does the resolver itself send to other DNS servers to answer?`,
      exhibits: [chainExhibit(input)],
      view: { unit: "count", label: "Queries the resolver sends" },
      key: { value },
      rubric: {
        value, unit: "count", absolute: 0, relative: 0,
        why: {
          why: value === 0
            ? `The answer is cached and its TTL has not run out, so the resolver answers from its cache: ${c.skipped.join("; ")}.`
            : `It asks ${asked.map((s) => `${s.to.name} (${s.query!.question.name} ${s.query!.question.type})`).join(", then ")}.${c.skipped.length ? ` Its cache spares it ${c.skipped.join("; ")}.` : ""} Minimisation changes what each server is asked, not how many are asked.`,
          step: asked.at(-1)?.id ?? "stub-answer",
        },
      },
      misconceptions: misconceptionAnswers<"numeric">(["registrar-answers-queries"], (model) => ({ value: chain(input, model as "registrar-answers-queries").resolverQueries }), { value }),
      hints: [
        "The browser's own query to the resolver is not counted; count what the resolver sends.",
        "Which parts of the tree does the resolver already know, and for how long do referrals stay cached?",
      ],
      explanation:
        `A resolver walks down from the deepest zone cut it already knows. From a cold start that means a priming query to a root server (RFC 9609), the root's referral to com, the .com servers' referral to the zone's nameservers, and the authoritative answer; ` +
        "the delegations carry two-day TTLs, so a warm resolver goes straight to the zone's servers, and a cached answer needs no query at all. The registrar is never asked: the .com servers already hold the delegation it set.",
      lab: chainLab(input),
    };
  },
};
