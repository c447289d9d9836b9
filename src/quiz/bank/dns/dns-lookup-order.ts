import { seededRandom } from "../../../sim/random";
import { DNS_SETUPS, type DnsChainInput, type DnsChainStep, type DnsSetup } from "../../../sim/edge/dns-chain";
import type { Choice, Template, Why } from "../../engine/types";
import { chain, chainExhibit, chainLab, LESSON, SETUP_WORDS } from "./shared";
import { orderRandom, pick, shuffle } from "../draw";

/**
 * Put a cold lookup's messages in order: the chain's own steps, each described by its sender,
 * receiver and what it carries, shuffled. Minimisation changes what each query names, so it changes
 * the items' text; the order is read off the chain.
 */
const ID = "dns-lookup-order";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { setup: "proxied", qmin: "on" };
  const random = seededRandom(seed);
  return { setup: pick(random, DNS_SETUPS), qmin: pick(random, ["on", "off"]) };
}

function describe(s: DnsChainStep): string {
  const q = s.query ? `${s.query.question.name} ${s.query.question.type}` : "";
  const r = s.response;
  switch (s.outcome) {
    case "query":
      return `The browser's stub resolver asks the recursive resolver for ${q}, with recursion desired`;
    case "priming":
      return `${s.to.name} answers the resolver's "${q}" with the 13 root server names and addresses`;
    case "referral":
      return `${s.to.name}, asked "${q}", refers the resolver to ${r!.authority.map((x) => x.data.replace(/\.$/, "")).slice(0, 2).join(", ")}${r!.authority.length > 2 ? " …" : ""}`;
    default:
      return s.id === "stub-answer"
        ? `The recursive resolver answers the browser: ${r!.answer[0]!.data}`
        : `${s.to.name}, asked "${q}", answers authoritatively: ${r!.answer[0]!.data}`;
  }
}

export const dnsLookupOrder: Template<"ordering"> = {
  id: ID,
  kind: "ordering",
  title: "A cold lookup, message by message",
  lesson: LESSON,
  concepts: ["dns", "dns-delegation"],
  file: "src/quiz/bank/dns/dns-lookup-order.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const input: DnsChainInput = { setup: p.setup as DnsSetup, cache: "cold", qnameMinimisation: p.qmin === "on" };
    const c = chain(input);
    const ids = c.steps.map((s) => s.id);
    const items: Choice[] = c.steps.map((s) => ({ id: s.id, text: describe(s) }));
    const whys: Record<string, Why> = Object.fromEntries(c.steps.map((s) => [s.id, { why: s.note, step: s.id }]));
    // Shuffled until it is not already in order, so the learner always has something to do.
    const random = orderRandom(seed, ID);
    let shown = shuffle(random, items);
    while (shown.every((x, i) => x.id === ids[i])) shown = shuffle(random, items);
    return {
      template: ID, kind: "ordering", seed, title: this.title,
      prompt:
        `${SETUP_WORDS[input.setup]}. An ISP's recursive resolver has just restarted (its cache is empty) when a browser asks it for www.example.com` +
        `${input.qnameMinimisation ? "; the resolver minimises query names (RFC 9156)" : "; the resolver does not minimise query names"}. Put the messages in the order they are sent.`,
      exhibits: [chainExhibit(input)],
      view: { items: shown },
      key: { order: ids },
      rubric: { strategy: "lcs", orders: [ids], items: whys },
      misconceptions: [],
      hints: [
        "A resolver that knows nothing below the root starts by confirming who the root servers are.",
        "Each referral names the servers of the next zone down; follow the names.",
      ],
      explanation:
        `The stub sends one recursive query and waits; the resolver does the walk. It primes its root list (RFC 9609), then follows referrals down the tree — the root points to Verisign's .com servers, which point to ${c.delegation.nameservers.join(" and ")} — ` +
        `and only the zone's own server answers with the A record (${c.connectsTo.ip}) and the authoritative bit. The resolver then hands that answer to the browser.`,
      lab: chainLab(input),
    };
  },
};
