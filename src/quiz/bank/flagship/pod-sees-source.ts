import { GOOGLE_PROXY_RANGES } from "../../../sim/edge/gfe";
import { http } from "../journey/shared";
import type { Trace } from "../../../sim/index";
import type { AnswerOf, FieldSpec, Template } from "../../engine/types";
import {
  cachedTrace, hop, innerIpv4, journeyLab, LESSON, misconceptionAnswers, reachParams, requestHops, settingsExhibit, siteName, type Params,
} from "./shared";
import type { SiteId } from "../../../sim/index";

/**
 * Whose address the Pod sees: the source of the packet it receives (the GFE's proxy address), and
 * the client address that survives only in X-Forwarded-For. The cloud-nat-inbound model's answer —
 * the NAT gateway's address — is read off the same variant under that model.
 */
const ID = "pod-sees-source";

const FIELDS: readonly FieldSpec[] = [
  { id: "source", label: "Source address of the packets the Pod receives", type: "ip", placeholder: "192.0.2.10" },
  { id: "client", label: "First address in X-Forwarded-For", type: "ip", placeholder: "192.0.2.10" },
];

const params = (seed: number): Params => reachParams(seed);

function seenByPod(trace: Trace): AnswerOf["fill-in"] | null {
  const arriving = hop(trace, "request:pod").in;
  const xff = http(arriving)?.forwardedFor;
  if (!xff) return null;
  return { fields: { source: innerIpv4(arriving).src, client: xff.split(",")[0]!.trim() } };
}

export const podSeesSource: Template<"fill-in"> = {
  id: ID,
  kind: "fill-in",
  title: "Whose address the Pod sees",
  lesson: LESSON,
  concepts: ["gfe", "origin-protection", "neg"],
  file: "src/quiz/bank/flagship/pod-sees-source.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = cachedTrace(p, 0);
    const key = seenByPod(trace);
    if (!key) throw new Error(`${ID}: the Pod's request carries no X-Forwarded-For (${JSON.stringify(p)})`);
    const browser = requestHops(trace)[0]!;
    const browserIp = innerIpv4(browser.out).src;
    const gfe = hop(trace, "request:gfe");
    const pod = hop(trace, "request:pod");
    const xff = http(pod.in)!.forwardedFor!;
    const proxied = p.cloudflare === "on";
    return {
      template: ID, kind: "fill-in", seed, title: this.title,
      prompt:
        `A user in ${siteName(p.city as SiteId)} at ${browserIp} loads https://www.example.com/${proxied ? " through Cloudflare's proxy" : ", with DNS pointing straight at the load balancer"}. ` +
        `The cluster in ${p.region} is private (its nodes have no external addresses) and has a Cloud NAT gateway for outbound traffic; the Ingress uses container-native load balancing. ` +
        `The request reaches ${pod.device.name}. What source address do its packets carry there, and which address comes first in the X-Forwarded-For header the application reads?`,
      exhibits: [settingsExhibit(p, ["city", "cloudflare", "region"])],
      view: { fields: FIELDS.map((f) => ({ ...f })) },
      key,
      rubric: {
        fields: {
          source: {
            why: `The GFE terminates the client's connection and opens its own to the Pod, from ${key.fields.source}, one of its addresses in ${GOOGLE_PROXY_RANGES.join(" and ")}. Cloud NAT is not involved: it translates only connections that leave the VPC.`,
            step: gfe.id,
          },
          client: {
            why: `Each proxy appends the address that connected to it: the Pod receives X-Forwarded-For: ${xff}. The first entry is the browser's ${key.fields.client}${proxied ? ", written by Cloudflare's edge" : ""}.`,
            step: pod.id,
          },
        },
      },
      misconceptions: misconceptionAnswers<"fill-in">(["cloud-nat-inbound"], (model) => seenByPod(cachedTrace(p, 0, model)), key),
      hints: [
        "The GFE is a proxy: whose connection reaches the Pod?",
        "Which way does Cloud NAT translate connections: those leaving the VPC, or those arriving?",
      ],
      explanation:
        `Every proxy on the way opens a new connection, so the Pod's packets come from the last proxy, the GFE, at ${key.fields.source}. ` +
        `The client's own address survives only in X-Forwarded-For (${xff}), whose first entry is the browser's. ` +
        "A Cloud NAT gateway never sees this traffic: it only translates connections that instances without external addresses open outwards. " +
        "That is also why a VPC firewall rule cannot tell Cloudflare's requests from anyone else's: every request arrives from Google's proxy ranges.",
      lab: journeyLab("leg-4", p),
    };
  },
};
