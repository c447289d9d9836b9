import type { Trace } from "../../../sim/index";
import type { AnswerOf, FieldSpec, Template } from "../../engine/types";
import {
  cachedTrace, hop, innerIpv4, innerTcp, journeyLab, LESSON, misconceptionAnswers, reachParams, requireEvent,
  settingsExhibit, siteName, type Params,
} from "./shared";
import type { SiteId } from "../../../sim/index";
import { pickWeighted } from "../draw";

/**
 * Predict the header the node receives: with container-native load balancing the GFE connects to
 * the Pod's own address and port, from a proxy address, and nothing translates it on the way. The
 * key is the inner IPv4 and TCP header of the node's incoming packet in the trace; the answers of
 * kube-proxy-on-neg-path (a node port) and cloud-nat-inbound (the gateway's address as source) are
 * read off the same variant under those models.
 */
const ID = "header-at-node";

const FIELDS: readonly FieldSpec[] = [
  { id: "src", label: "Source address", type: "ip", placeholder: "192.0.2.10" },
  { id: "dst", label: "Destination address", type: "ip", placeholder: "192.0.2.20" },
  { id: "dport", label: "Destination port", type: "port", placeholder: "443" },
];

function params(seed: number): Params {
  return reachParams(seed, (random) => pickWeighted<Params>(random, [[{}, 3], [{ "pod-health": "target-unhealthy" }, 1]]));
}

/** The header the node receives, inside the tunnel, as the learner writes it. */
function atNode(trace: Trace): AnswerOf["predict-header"] {
  const arriving = hop(trace, "request:node").in;
  const ip = innerIpv4(arriving);
  return { fields: { src: ip.src, dst: ip.dst, dport: String(innerTcp(arriving).dstPort) } };
}

export const headerAtNode: Template<"predict-header"> = {
  id: ID,
  kind: "predict-header",
  title: "The header the node receives",
  lesson: LESSON,
  concepts: ["neg", "gfe", "vpc-overlay", "dnat"],
  file: "src/quiz/bank/flagship/header-at-node.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = cachedTrace(p, 0);
    const key = atNode(trace);
    const gfe = hop(trace, "request:gfe");
    const backbone = hop(trace, "request:backbone");
    const node = hop(trace, "request:node");
    const pick = requireEvent(gfe, "lb-select");
    const health = requireEvent(gfe, "health-check");
    const conntrack = requireEvent(node, "conntrack");
    const failing = health.endpoints.filter((e) => !e.healthy).map((e) => e.ip);
    return {
      template: ID, kind: "predict-header", seed, title: this.title,
      prompt:
        `A user in ${siteName(p.city as SiteId)} loads https://www.example.com/${p.cloudflare === "on" ? " through Cloudflare's proxy" : ", with no Cloudflare in front"}. ` +
        `The GKE cluster in ${p.region} serves it from an Ingress with container-native load balancing (NEGs); the NEG's endpoints are ` +
        `${health.endpoints.map((e) => e.ip).join(", ")}${failing.length ? `, and ${failing.join(", ")} is failing its health check` : ""}. ` +
        `${gfe.device.name} has chosen the endpoint ${pick.chosen}. Give the inner IPv4 and TCP header of the request as ${node.device.name} receives it from the VPC, inside the tunnel.`,
      exhibits: [settingsExhibit(p, ["city", "cloudflare", "region", "pod-health"])],
      view: { after: { step: backbone.id, name: backbone.device.name }, fields: FIELDS.map((f) => ({ ...f })) },
      key,
      rubric: {
        fields: {
          src: {
            why: `The GFE is a proxy: it opened its own connection to the Pod, from its proxy address ${key.fields.src} (in Google's proxy ranges 35.191.0.0/16 and 130.211.0.0/22). The browser's address survives only in X-Forwarded-For, and nothing in the VPC translates the source.`,
            step: gfe.id,
          },
          dst: {
            why: `A NEG lists Pod addresses, so the GFE sends to the Pod itself, ${key.fields.dst}. The VPC tunnels it to the node that holds the Pod's alias range; the node's conntrack entry (${conntrack.tuple}) records no translation.`,
            step: node.id,
          },
          dport: {
            why: `The NEG's endpoints carry the container's port, ${key.fields.dport}, not a Service port or a node port: no kube-proxy rule is on this path.`,
            step: gfe.id,
          },
        },
      },
      misconceptions: misconceptionAnswers<"predict-header">(["kube-proxy-on-neg-path", "cloud-nat-inbound", "separate-lb-box"], (model) => atNode(cachedTrace(p, 0, model)), key),
      hints: [
        "The GFE is a proxy. Whose connection does the node see: the browser's, Cloudflare's, or one the GFE opened?",
        "What does a container-native NEG list as its endpoints, and what would kube-proxy have to match to translate anything?",
      ],
      explanation:
        `The GFE terminated the client's connection and opened its own to the endpoint it chose, ${pick.chosen}: source ${key.fields.src}, one of its proxy addresses, ` +
        `destination the Pod's address ${key.fields.dst} and the container's port ${key.fields.dport}. Andromeda wraps that packet in its tunnel to the node's host and unwraps it there, unchanged. ` +
        "No Cloud NAT gateway is involved (it only translates connections leaving the VPC), and kube-proxy's rules match Service addresses and node ports, which this packet is not addressed to.",
      lab: journeyLab("leg-4", p),
    };
  },
};
