import { seededRandom } from "../../../sim/random";
import { siteName } from "../../../sim/bgp/anycast";
import { ATTACKER_SITES, VICTIMS, runHijack, type AttackerSite, type Victim } from "../../../sim/rpki/hijacks";
import type { SiteId } from "../../../sim/geo";
import type { Template } from "../../engine/types";
import { deploymentRov, deploymentText, hijackLab, LESSON, type Deployment } from "./shared";
import { orderedChoices, orderRandom, pick } from "../draw";

/**
 * The source's interview question: can an attacker steal a site's traffic by configuring its static
 * address on their own server? The key is read off the hijack simulation of `address-only` (no route
 * announced): the share of user cities whose packets reach the attacker, and where the attacker's own
 * provider sends them. The distractors are the source's own reasoning (routers check signatures, the
 * ISP drops the packets) and "yes where there is no ROV", each contradicted by the same run.
 */
const ID = "static-ip-steal";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { victim: "google", attacker: "frankfurt", deployment: "none" };
  const r = seededRandom(seed);
  return {
    victim: pick(r, ["google", "cloudflare"]),
    attacker: pick(r, ["frankfurt", "singapore"]),
    deployment: pick(r, ["none", "tier1-drop", "all-drop", "access-drop"]),
  };
}

const remembered = new Map<string, ReturnType<typeof computeFacts>>();

/** The runs a variant reads: the address-only "hijack" and, for comparison, an announced /24 without ROV. */
function computeFacts(victim: Victim, site: AttackerSite, deployment: Deployment) {
  const o = runHijack({ kind: "address-only", victim: victim.id, attacker: site.id, rov: deploymentRov(deployment, site) });
  const upstream = o.ases.find((a) => a.asn === site.provider)!.routers.find((r) => r.router === `${site.provider}@${site.city}`)!;
  const announced = runHijack({ kind: "sub-prefix", victim: victim.id, attacker: site.id, rov: {} });
  return {
    captured: o.cities.filter((c) => c.captured).length,
    cityCount: o.cities.length,
    firstRouter: o.cities[0]!.router,
    upstreamCaptured: upstream.captured,
    upstreamTo: upstream.path.deliveredAt ? siteName(upstream.path.deliveredAt.split("@")[1] as SiteId) : "nowhere",
    announcedCities: announced.cities.filter((c) => c.captured).length,
  };
}

function facts(victim: Victim, site: AttackerSite, deployment: Deployment): ReturnType<typeof computeFacts> {
  const key = `${victim.id}|${site.id}|${deployment}`;
  let f = remembered.get(key);
  if (!f) remembered.set(key, (f = computeFacts(victim, site, deployment)));
  return f;
}

export const staticIpSteal: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Stealing traffic with a static IP",
  lesson: LESSON,
  concepts: ["bgp-hijack", "rpki-rov", "static-ip"],
  file: "src/quiz/bank/rpki/static-ip-steal.ts",
  source: "seed 000, interview question 4",
  params,
  variant(seed) {
    const p = params(seed);
    const victim: Victim = VICTIMS[p.victim as Victim["id"]];
    const site: AttackerSite = ATTACKER_SITES[p.attacker as AttackerSite["id"]];
    const deployment = p.deployment as Deployment;
    const { captured, cityCount, firstRouter, upstreamCaptured, upstreamTo, announcedCities } = facts(victim, site, deployment);
    const city = siteName(site.city);
    const choices = [
      {
        id: "no-route",
        text: `No. Putting ${victim.address} on an interface announces no route, so routers keep sending it to ${victim.name}; to pull traffic the attacker would have to get a BGP route accepted.`,
      },
      {
        id: "isp-drops",
        text: `No, because the attacker's ISP checks each packet against ${victim.name}'s RPKI-signed route and drops the ones that do not match.`,
      },
      {
        id: "routers-verify",
        text: `No, because every router verifies the signature on ${victim.name}'s ROA and refuses the attacker's server.`,
      },
      {
        id: "yes-without-rov",
        text: `Yes, from every network that does not deploy route-origin validation: they deliver ${victim.address} to whichever server claims it.`,
      },
      {
        id: "yes-local",
        text: `Yes, but only from networks near ${city}: AS${site.provider} hands traffic for ${victim.address} to its own customer.`,
      },
    ];
    if (captured !== 0 || upstreamCaptured) throw new Error(`${ID}: an unannounced address attracted traffic (seed ${seed})`);
    const options = orderedChoices(orderRandom(seed, ID), choices);
    const key = { choice: "no-route" };
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt:
        `${victim.name} (AS${victim.asn}) announces ${victim.prefix}; the site's reserved static address is ${victim.address}. ` +
        `An attacker who buys transit from AS${site.provider} in ${city} configures ${victim.address} on their own server. In this internet ${deploymentText(deployment, site)}. ` +
        "Can the attacker steal the site's traffic this way, and why?",
      exhibits: [{ kind: "settings", chips: [
        { key: "victim", label: "Victim", value: `${victim.name}, ${victim.prefix}` },
        { key: "attacker", label: "Attacker", value: `AS64511, customer of AS${site.provider} in ${city}` },
        { key: "rov", label: "Route-origin validation", value: deploymentText(deployment, site) },
      ] }],
      view: { options },
      key,
      rubric: {
        options: {
          "no-route": { why: `Right: in the simulation ${captured} of ${cityCount} user cities reach the server, and AS${site.provider}'s own router in ${city} still forwards ${victim.address} to ${victim.name} in ${upstreamTo}. Had the attacker announced a /24 instead, ${announcedCities} of ${cityCount} would have without ROV.`, step: `${site.provider}@${site.city}` },
          "isp-drops": { why: `ROV acts on routes, not packets, and there is nothing to drop: no packet for ${victim.address} is ever routed towards the attacker.`, step: `${site.provider}@${site.city}` },
          "routers-verify": { why: "Routers never verify ROA signatures: relying-party software does, and hands routers a list of VRPs. And with no announcement there is no route to validate.", step: null },
          "yes-without-rov": { why: `Routers forward by the routes they hold, not by who configures an address: ${captured} of ${cityCount} cities reach the server, whatever the ROV deployment.`, step: firstRouter },
          "yes-local": { why: `AS${site.provider} learned no route towards its customer for ${victim.address}, so its router in ${city} forwards to ${victim.name} in ${upstreamTo}.`, step: `${site.provider}@${site.city}` },
        },
      },
      misconceptions: [],
      hints: [
        "How does a router far away decide where to send a packet for this address?",
        "What does configuring an address on a server tell the rest of the internet?",
      ],
      explanation:
        `Routers forward by the routes they hold. Configuring ${victim.address} on a server changes nothing beyond the server's own network segment, so every router — AS${site.provider}'s included — keeps sending the traffic to ${victim.name}. ` +
        "The real danger is a BGP announcement: an exact-prefix or more-specific route for the block, which neighbours may accept. That is what route-origin validation is for — and it is validated by relying-party software that checks the ROA signatures, not by routers, and only acts where networks drop Invalid routes. " +
        "The source material's reasons (routers verifying signatures, the ISP dropping the packets) are wrong even though its 'no' is right.",
      lab: hijackLab({ kind: "address-only", victim: victim.id, attacker: site.id }, deployment, site),
    };
  },
};
