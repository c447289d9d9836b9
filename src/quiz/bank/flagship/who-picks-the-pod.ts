import { GOOGLE } from "../../../sim/edge/google-edge";
import type { Trace } from "../../../sim/index";
import type { Choice, Template, Why } from "../../engine/types";
import {
  cachedTrace, hop, journeyLab, LESSON, misconceptionAnswers, reachParams, requestHops,
  requireEvent, settingsExhibit, siteName, type Params,
} from "./shared";
import type { SiteId } from "../../../sim/index";
import { orderedChoices, orderRandom, pickWeighted } from "../draw";

/**
 * Which device picks the Pod. The key is read off the trace: the device that rewrites the destination
 * to a Pod (a DNAT), or else the one whose layer-7 choice names the Pod. Under separate-lb-box that is
 * the appliance; under kube-proxy-on-neg-path the node's kube-proxy rules — each read off the variant
 * under that model.
 */
const ID = "who-picks-the-pod";

function params(seed: number): Params {
  return reachParams(seed, (random) => pickWeighted<Params>(random, [[{}, 3], [{ "pod-health": "target-unhealthy" }, 1]]));
}

/** The option the trace says chose the Pod. */
function chooser(trace: Trace): string {
  for (const h of requestHops(trace)) {
    if (h.events.some((e) => e.type === "dnat")) return h.device.id === "node" ? "kube-proxy" : h.device.id;
  }
  const picker = requestHops(trace).find((h) => h.events.some((e) => e.type === "lb-select" && e.layer === "L7" && e.chosen !== null));
  if (!picker) throw new Error(`${ID}: nothing picks a Pod in ${JSON.stringify(trace.params)}`);
  return picker.device.id;
}

export const whoPicksThePod: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Which device picks the Pod",
  lesson: LESSON,
  concepts: ["gfe", "neg", "l4-load-balancing"],
  file: "src/quiz/bank/flagship/who-picks-the-pod.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = cachedTrace(p, 0);
    const key = { choice: chooser(trace) };
    const gfe = hop(trace, "request:gfe");
    const maglev = hop(trace, "request:maglev");
    const node = hop(trace, "request:node");
    const pod = hop(trace, "request:pod");
    const pick = requireEvent(gfe, "lb-select");
    const maglevPick = requireEvent(maglev, "lb-select");
    const nodeName = node.device.name.replace(/^GKE node /, "");
    const options: Choice[] = [
      { id: "gfe", text: gfe.device.name },
      { id: "maglev", text: maglev.device.name },
      { id: "lb-appliance", text: `Regional load-balancer appliance for ${GOOGLE.vip} (${p.region})` },
      { id: "kube-proxy", text: `kube-proxy's rules on ${nodeName}` },
    ];
    const rubric: Record<string, Why> = {
      gfe: { why: `Right: the GFE reads the NEG's endpoints and their health (${pick.candidates.length} candidates) and picks ${pick.chosen}, then opens its own connection to that Pod.`, step: gfe.id },
      maglev: { why: `Maglev picks a GFE, not a Pod: it hashed the flow to ${maglevPick.chosen}. It balances connections over the proxies of one edge site and knows nothing of the cluster.`, step: maglev.id },
      "lb-appliance": { why: `There is no appliance in ${p.region}: the forwarding rule for ${GOOGLE.vip}, the URL map and the backend service are carried out by Google's edge itself, and the GFE there picks the endpoint.`, step: gfe.id },
      "kube-proxy": { why: `The packet reaches ${nodeName} already addressed to the Pod (${pod.device.name}); kube-proxy's rules match only Service addresses and node ports, so nothing on the node chooses or translates.`, step: node.id },
    };
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt:
        `A user in ${siteName(p.city as SiteId)} loads https://www.example.com/${p.cloudflare === "on" ? " through Cloudflare" : " directly from Google's load balancer"}. ` +
        `The cluster in ${p.region} runs three web Pods behind a GKE Ingress with container-native load balancing${p["pod-health"] === "target-unhealthy" ? "; one Pod is failing its health check" : ""}. ` +
        `This request ends at ${pod.device.name}. Which component chose that Pod?`,
      exhibits: [settingsExhibit(p, ["city", "cloudflare", "region", "pod-health"])],
      view: { options: orderedChoices(orderRandom(seed, ID), options) },
      key,
      rubric: { options: rubric },
      misconceptions: misconceptionAnswers<"single-choice">(["separate-lb-box", "kube-proxy-on-neg-path"], (model) => {
        const believed = chooser(cachedTrace(p, 0, model));
        return rubric[believed] ? { choice: believed } : null;
      }, key),
      hints: [
        "Which device on the path knows which Pods exist and which of them pass their health checks?",
        "Maglev chooses among machines of one edge site. What does it choose, and what does that machine then do?",
      ],
      explanation:
        `The external Application Load Balancer has no box of its own: Google's edge router spreads flows over Maglevs, ${maglev.device.name} hashed this one to ${maglevPick.chosen}, ` +
        `and that GFE — the load balancer's proxy — read the NEG's endpoints and their health and picked ${pick.chosen}. ` +
        "Because a NEG lists Pod addresses, the GFE connects to the Pod itself; the node routes the packet to the Pod's veth without kube-proxy.",
      lab: journeyLab("leg-3", p),
    };
  },
};
