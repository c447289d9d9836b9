import { seededRandom } from "../../../sim/random";
import { destinationOf, egressPath, unsolicitedInbound, type EgressOutcome, type EgressSetup, type PathModel } from "../../../sim/kube/egress/path";
import type { Template, Why } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { orderedChoices, orderRandom, pick } from "../draw";
import { LESSON, natLab } from "./shared";

/**
 * Which way does this packet leave a private node — Private Google Access, Cloud NAT, an internal route,
 * or nowhere — and what happens to a packet that arrives at a NAT IP unasked? The key is the path trace's outcome.
 */
const ID = "egress-path";

interface Setup {
  readonly id: string;
  readonly setup: EgressSetup | null; // null: an unsolicited inbound packet
  readonly story: string;
}

const SETUPS: readonly Setup[] = [
  { id: "api-pga", setup: { destination: "googleapis", pga: true, nat: "none", from: "pod", masquerade: true }, story: "Private Google Access is on for the node subnet and there is no Cloud NAT gateway. A Pod uploads an object to storage.googleapis.com." },
  { id: "api-nat", setup: { destination: "googleapis", pga: false, nat: "all", from: "pod", masquerade: true }, story: "A Cloud NAT gateway serves all of the subnet's ranges; nobody ticked Private Google Access on the subnet. A Pod uploads an object to storage.googleapis.com." },
  { id: "api-none", setup: { destination: "private-googleapis", pga: false, nat: "none", from: "node", masquerade: true }, story: "The node subnet has neither Private Google Access nor a Cloud NAT gateway, and DNS points *.googleapis.com at private.googleapis.com (199.36.153.8). The node pulls an image from Artifact Registry." },
  { id: "internet-nat", setup: { destination: "internet", pga: true, nat: "primary", from: "pod", masquerade: true }, story: "Private Google Access is on, and a Cloud NAT gateway serves the node (primary) range only; ip-masq-agent runs with GKE's defaults. A Pod calls an HTTPS API at 8.8.8.8." },
  { id: "internet-unmasq", setup: { destination: "internet", pga: true, nat: "primary", from: "pod", masquerade: false }, story: "Private Google Access is on, and a Cloud NAT gateway serves the node (primary) range only. ip-masq-agent has been configured never to masquerade. A Pod calls an HTTPS API at 8.8.8.8." },
  { id: "internet-pga-only", setup: { destination: "internet", pga: true, nat: "none", from: "node", masquerade: true }, story: "Private Google Access is on for the node subnet; there is no Cloud NAT gateway. The node itself fetches a package from a mirror at 8.8.8.8 (port 443)." },
  { id: "control-plane", setup: { destination: "control-plane", pga: false, nat: "none", from: "node", masquerade: true }, story: "The node subnet has neither Private Google Access nor Cloud NAT. The kubelet talks to the control plane's private endpoint, 172.16.0.2." },
  { id: "inbound", setup: null, story: "A Cloud NAT gateway serves the node subnet with NAT IP 192.0.2.1. A host on the internet sends a TCP SYN to 192.0.2.1:1024, a port in node-0's block that carries no connection to that host." },
];


function choiceOf(outcome: EgressOutcome): string {
  return outcome === "dropped-inbound" ? "inbound-dropped" : outcome === "delivered-inbound" ? "inbound-delivered" : outcome;
}

function params(seed: number): Record<string, string> {
  if (seed === 0) return { setup: "api-nat" };
  return { setup: pick(seededRandom(seed), SETUPS.map((s) => s.id)) };
}

export const egressPathQuestion: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Cloud NAT, Private Google Access, or nowhere?",
  lesson: LESSON,
  concepts: ["cloud-nat", "masquerade"],
  file: "src/quiz/bank/egress/egress-path.ts",
  params,
  variant(seed) {
    const s = SETUPS.find((x) => x.id === params(seed).setup)!;
    const run = (model: PathModel) => (s.setup ? egressPath(s.setup, model) : unsolicitedInbound(1024, model));
    const real = run("real");
    const key = { choice: choiceOf(real.outcome) };
    const rnd = orderRandom(seed, ID);
    const options = s.setup
      ? orderedChoices(rnd, [
          { id: "pga", text: "Private Google Access: it reaches Google with its internal source address, no NAT" },
          { id: "nat", text: "Cloud NAT: it leaves with a NAT IP address and a port from the node's block" },
          { id: "no-route", text: "Nowhere: it is dropped and the client times out" },
          { id: "internal", text: "An internal route inside Google's network, with no NAT and no Private Google Access" },
        ])
      : orderedChoices(rnd, [
          { id: "inbound-dropped", text: "Dropped: no mapping matches, and Cloud NAT never creates one for an inbound packet" },
          { id: "inbound-delivered", text: "Forwarded to node-0, which owns port 1024" },
          { id: "nat", text: "Answered by Cloud NAT itself with a TCP RST" },
        ]);
    const right = (id: string) => key.choice === id;
    const sentence = real.summary;
    const why = (id: string, no: string) => ({ why: right(id) ? `Right. ${sentence}` : no, step: null });
    const rubric: Readonly<Record<string, Why>> = s.setup
      ? {
          pga: why("pga", s.setup.destination === "internet" ? "Private Google Access only reaches Google APIs; this destination is not one." : s.setup.destination === "control-plane" ? "The control plane's private endpoint is an internal address; no Google API front end is involved." : "Private Google Access is not in effect for this subnet: it is off and no Cloud NAT gateway serves the range."),
          nat: why("nat", s.setup.destination !== "internet" && s.setup.destination !== "control-plane" ? "Cloud NAT never translates traffic to Google API addresses." : s.setup.destination === "control-plane" ? "An internal address needs no NAT." : "No Cloud NAT gateway covers the address this packet leaves the node with."),
          "no-route": why("no-route", "There is a way out here."),
          internal: why("internal", "Only internal destinations (like the control plane's private endpoint) take an internal route."),
        }
      : {
          "inbound-dropped": why("inbound-dropped", ""),
          "inbound-delivered": why("inbound-delivered", "A port block says which node may use a port for outbound connections; it is not a port forward. Without a mapping created by an outbound connection, nothing is forwarded."),
          nat: why("nat", "Cloud NAT does not answer for the VMs; it drops what matches no mapping."),
        };
    const path = s.setup ?? { destination: "internet" as const, pga: true, nat: "primary" as const, from: "pod" as const, masquerade: true };
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `A private GKE cluster: nodes and Pods have internal addresses only. ${s.story} Where does the packet go?`,
      exhibits: [{ kind: "settings", chips: s.setup ? [
        { key: "destination", label: "Destination", value: destinationOf(s.setup.destination).host },
        { key: "pga", label: "Private Google Access", value: s.setup.pga ? "on" : "off" },
        { key: "nat", label: "Cloud NAT", value: s.setup.nat === "none" ? "none" : s.setup.nat === "primary" ? "primary range" : "all ranges" },
        { key: "from", label: "Sender", value: s.setup.from },
      ] : [{ key: "inbound", label: "Packet", value: "inbound SYN to 192.0.2.1:1024" }] }],
      view: { options },
      key,
      rubric: { options: rubric },
      misconceptions: misconceptionAnswers<"single-choice">(s.setup ? ["google-apis-via-nat"] : ["nat-accepts-inbound"], (m) => {
        const c = choiceOf(run(m as PathModel).outcome);
        return options.some((o) => o.id === c) ? { choice: c } : null;
      }, key),
      hints: [
        "First decide which address the packet leaves the node with.",
        "Is the destination a Google API, the internet, or an internal address?",
        "Cloud NAT only translates connections a VM opens.",
      ],
      explanation: `${sentence} ${run("real").steps.map((x) => x.text).join(" ")}`,
      lab: natLab({ destination: path.destination, pga: String(path.pga), nat: path.nat, from: path.from, masquerade: String(path.masquerade), ...(s.setup ? {} : { inbound: "true" }) }),
    };
  },
};
