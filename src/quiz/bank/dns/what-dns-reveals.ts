import { seededRandom } from "../../../sim/random";
import { DNS_SETUPS, RESOLVER_CACHES, type DnsChain, type DnsChainInput, type DnsSetup, type ResolverCache } from "../../../sim/edge/dns-chain";
import { GOOGLE } from "../../../sim/edge/google-edge";
import type { Choice, Template, Why } from "../../engine/types";
import { CACHE_WORDS, chain, chainExhibit, chainLab, LESSON, misconceptionAnswers, SETUP_WORDS } from "./shared";
import { orderedChoices, orderRandom, pick } from "../draw";

/**
 * Proxied, DNS only or Cloud DNS: what a lookup reveals and who takes part. Every statement is judged
 * on the chain of this variant; the wrong models' answers are the same judgement made on the chain
 * run under each model.
 */
const ID = "what-dns-reveals";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { setup: "proxied", cache: "cold" };
  const random = seededRandom(seed);
  return { setup: pick(random, DNS_SETUPS), cache: pick(random, RESOLVER_CACHES) };
}

interface Statement {
  readonly id: string;
  readonly text: string;
  readonly holds: boolean;
  readonly why: string;
  readonly step: string | null;
}

function statements(c: DnsChain): Statement[] {
  const asked = (role: string) => c.steps.some((s) => s.from.role === "resolver" && s.to.role === role && s.query);
  const cf = c.steps.some((s) => s.to.name.endsWith(".ns.cloudflare.com"));
  const auth = c.steps.find((s) => s.id === "authoritative");
  return [
    {
      id: "origin-in-dns", text: `The answer the browser gets contains the load balancer's address, ${GOOGLE.vip}`,
      holds: c.originInDns,
      why: c.originInDns ? `The record is answered as stored: ${c.connectsTo.ip}, the load balancer's reserved global address.` : `A proxied record is answered with Cloudflare's anycast address ${c.connectsTo.ip}; ${GOOGLE.vip} appears in no message of the lookup.`,
      step: "stub-answer",
    },
    {
      id: "connects-cloudflare", text: "The browser's connection goes to Cloudflare (AS13335)",
      holds: c.connectsTo.asn === 13335,
      why: `The browser connects to the address it was given, ${c.connectsTo.ip}: ${c.connectsTo.network}.`, step: "stub-answer",
    },
    {
      id: "reachable-directly", text: `A client that already knows ${GOOGLE.vip} can connect to the load balancer directly`,
      holds: c.originReachableDirectly,
      why: "DNS decides what clients are told, not what the load balancer accepts: without a Cloud Armor allow-list or mTLS it takes connections from anyone who knows its address.",
      step: null,
    },
    {
      id: "cloudflare-asked", text: "One of Cloudflare's nameservers (*.ns.cloudflare.com) is asked during this lookup",
      holds: cf,
      why: cf ? `The zone is delegated to Cloudflare, and the resolver asks ${auth?.to.name}.` : c.input.setup === "cloud-dns" ? "The zone is delegated to Cloud DNS; Cloudflare has no part." : "The answer is cached; no nameserver is asked at all.",
      step: auth ? "authoritative" : "stub-answer",
    },
    {
      id: "tld-asked", text: "One of Verisign's .com servers is asked during this lookup",
      holds: asked("tld"),
      why: asked("tld") ? "From a cold cache the resolver needs the .com servers' referral to find the zone's nameservers." : `The resolver's cache spares it: ${c.skipped.join("; ")}.`,
      step: asked("tld") ? "tld" : "stub-answer",
    },
    {
      id: "registrar-asked", text: "The registrar's servers are asked where the domain's DNS is hosted",
      holds: asked("registrar"),
      why: "The registrar is never asked during a lookup: it sent the nameserver names to the .com registry beforehand, and the .com servers' referral carries them.",
      step: asked("tld") ? "tld" : null,
    },
  ];
}

export const whatDnsReveals: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "What a lookup reveals, and who takes part",
  lesson: LESSON,
  concepts: ["dns", "dns-delegation", "origin-protection", "cdn-proxy"],
  file: "src/quiz/bank/dns/what-dns-reveals.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const input: DnsChainInput = { setup: p.setup as DnsSetup, cache: p.cache as ResolverCache, qnameMinimisation: true };
    const all = statements(chain(input));
    const options: Choice[] = orderedChoices(orderRandom(seed, ID), all.map((s) => ({ id: s.id, text: s.text })));
    const whys: Record<string, Why> = Object.fromEntries(all.map((s) => [s.id, { why: s.why, step: s.step }]));
    const key = { choices: all.filter((s) => s.holds).map((s) => s.id) };
    const same = (a: { choices: readonly string[] }, b: { choices: readonly string[] }) => [...a.choices].sort().join() === [...b.choices].sort().join();
    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt: `${SETUP_WORDS[input.setup]}; the record's target is the load balancer's reserved address ${GOOGLE.vip}. A browser asks its ISP's resolver for www.example.com; the resolver ${CACHE_WORDS[input.cache]}. Select every statement that holds.`,
      exhibits: [chainExhibit(input)],
      view: { options },
      key,
      rubric: { options: whys },
      misconceptions: misconceptionAnswers<"multiple-choice">(["proxied-hides-origin", "registrar-answers-queries"], (model) => ({
        choices: statements(chain(input, model as "proxied-hides-origin")).filter((s) => s.holds).map((s) => s.id),
      }), key, same),
      hints: [
        "Separate what DNS tells clients from what the load balancer accepts.",
        "Which servers does the resolver need, given what it already holds?",
      ],
      explanation:
        "A proxied record is answered with Cloudflare's own address, so DNS never reveals the origin — but the origin still takes connections from anyone who knows its address, until it is restricted to Cloudflare. " +
        "DNS only and Cloud DNS hand out the reserved address itself. Which servers are asked depends on the resolver's cache; the registrar is never one of them.",
      lab: chainLab(input),
    };
  },
};
