import { seededRandom } from "../../../sim/random";
import type { MtuModel } from "../../../sim/kube/mtu/cni";
import { mtuPath, type MtuPathInput, type MtuPathResult } from "../../../sim/kube/mtu/path";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { orderedChoices, orderRandom, pick } from "../draw";
import { LESSON, mtuLab } from "./shared";

/**
 * A full-size segment meets a link it does not fit: what happens? The key is the MTU trace's outcome
 * (path MTU discovery, fragments, a black hole, or nothing at all), each option a real outcome.
 */
const ID = "too-big-packet";

interface Setup {
  readonly preset: string;
  readonly input: MtuPathInput;
  readonly story: string;
}

const SETUPS: readonly Setup[] = [
  { preset: "vxlan-pmtud", input: { cni: "calico-vxlan", nodeMtu: 1460, podMtu: 1460, size: null, df: true, icmpFiltered: false, destination: "pod", linkMtu: 1400 }, story: "A cluster on a 1460-byte VPC uses Calico VXLAN, but someone set the Pods' interface MTU to 1460. Nothing filters ICMP. A Pod sends a full-size 1460-byte TCP segment (DF set, as Linux does) to a Pod on another node." },
  { preset: "black-hole", input: { cni: "calico-vxlan", nodeMtu: 1460, podMtu: 1460, size: null, df: true, icmpFiltered: true, destination: "pod", linkMtu: 1400 }, story: "A cluster on a 1460-byte VPC uses Calico VXLAN, but someone set the Pods' interface MTU to 1460, and a host firewall drops all ICMP. A Pod sends a full-size 1460-byte TCP segment (DF set) to a Pod on another node." },
  { preset: "fragments", input: { cni: "calico-vxlan", nodeMtu: 1460, podMtu: 1460, size: null, df: false, icmpFiltered: false, destination: "pod", linkMtu: 1400 }, story: "A cluster on a 1460-byte VPC uses Calico VXLAN, but someone set the Pods' interface MTU to 1460. A Pod sends a 1460-byte packet with DF clear to a Pod on another node." },
  { preset: "on-prem", input: { cni: "dataplane-v2", nodeMtu: 1460, podMtu: null, size: null, df: true, icmpFiltered: false, destination: "on-prem", linkMtu: 1400 }, story: "A Dataplane V2 Pod on a 1460-byte VPC sends a full-size TCP segment (DF set) to a server on premises; one link on the way has an MTU of 1400, and ICMP is allowed everywhere." },
  { preset: "on-prem-black-hole", input: { cni: "dataplane-v2", nodeMtu: 1460, podMtu: null, size: null, df: true, icmpFiltered: true, destination: "on-prem", linkMtu: 1400 }, story: "A Dataplane V2 Pod on a 1460-byte VPC sends a full-size TCP segment (DF set) to a server on premises; one link on the way has an MTU of 1400, and the on-premises firewall drops all ICMP." },
  { preset: "vxlan-right", input: { cni: "calico-vxlan", nodeMtu: 1460, podMtu: null, size: null, df: true, icmpFiltered: true, destination: "pod", linkMtu: 1400 }, story: "A cluster on a 1460-byte VPC uses Calico VXLAN with the Pod MTU Calico sets, and a host firewall drops all ICMP. A Pod sends a full-size TCP segment (DF set) to a Pod on another node." },
];

const OPTION_OF: Record<MtuPathResult["status"], string> = {
  "delivered-after-pmtud": "pmtud",
  "delivered-fragmented": "fragment",
  "black-hole": "black-hole",
  delivered: "delivered",
  "not-sent": "delivered",
};

function params(seed: number): Record<string, string> {
  if (seed === 0) return { preset: "black-hole" };
  return { preset: pick(seededRandom(seed), SETUPS.map((s) => s.preset)) };
}

export const tooBigPacket: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "A packet too big for the path",
  lesson: LESSON,
  concepts: ["mtu", "troubleshooting"],
  file: "src/quiz/bank/pod-network/too-big-packet.ts",
  params,
  variant(seed) {
    const setup = SETUPS.find((s) => s.preset === params(seed).preset)!;
    const real = mtuPath(setup.input);
    const under = (model: MtuModel) => ({ choice: OPTION_OF[mtuPath(setup.input, model).status] });
    const key = { choice: OPTION_OF[real.status] };
    const dropAt = real.trace.steps.find((s) => s.id.startsWith("drop:") || s.id.startsWith("fragment:"));
    const narrow = real.tooBigAt === "tunnel" ? "the node's tunnel device" : real.tooBigAt === "narrow-link" ? "the 1400-byte link" : "any link";
    const size = real.trace.steps.find((s) => s.id === "send")!.out!.bytes;
    const nextHop = setup.input.destination === "pod" ? setup.input.nodeMtu - real.overhead : setup.input.linkMtu;
    const options = orderedChoices(orderRandom(seed, ID), [
      { id: "pmtud", text: `It is dropped; ICMP "fragmentation needed" comes back with next-hop MTU ${nextHop}, and the Pod resends the data in ${nextHop}-byte packets` },
      { id: "fragment", text: "A router on the path fragments it and the destination reassembles the pieces" },
      { id: "black-hole", text: "It is dropped without the Pod hearing why; the Pod retransmits the same segment, which is dropped again, until the connection gives up" },
      { id: "delivered", text: "It arrives unchanged: it fits every link on the path" },
    ]);
    const stepOf = (id: string) => (real.trace.steps.some((s) => s.id === id) ? id : null);
    const why = (id: string, yes: string, no: string) => ({ why: key.choice === id ? yes : no, step: dropAt?.id ?? stepOf("deliver") });
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `${setup.story} What happens to the segment?`,
      exhibits: [{ kind: "settings", chips: [
        { key: "cni", label: "CNI", value: setup.input.cni },
        { key: "podMtu", label: "Pod MTU", value: String(real.podMtu) },
        { key: "df", label: "DF", value: setup.input.df ? "set" : "clear" },
        { key: "icmp", label: "ICMP", value: setup.input.icmpFiltered ? "filtered" : "allowed" },
      ] }],
      view: { options },
      key,
      rubric: { options: {
        pmtud: why("pmtud", `Right: DF forbids fragmenting, so ${narrow} drops the ${size}-byte packet and ICMP type 3 code 4 tells the Pod the next-hop MTU (RFC 1191).`, setup.input.df && setup.input.icmpFiltered && real.status === "black-hole" ? "The ICMP that would carry the next-hop MTU is filtered, so the Pod never learns it." : "Not here: nothing is dropped with DF set and signalled."),
        fragment: why("fragment", `Right: DF is clear, so the router at ${narrow} splits the packet (RFC 791) and the destination reassembles it.`, setup.input.df ? "Routers never fragment a packet with DF set: they drop it." : "Not here."),
        "black-hole": why("black-hole", `Right: ${narrow} drops the DF packet and its ICMP is filtered, so the Pod retransmits into the same drop — a PMTU black hole.`, real.status === "black-hole" ? "" : setup.input.icmpFiltered ? "ICMP is filtered, but nothing needs to be signalled: the segment fits." : "ICMP is allowed, so the Pod does hear why."),
        delivered: why("delivered", `Right: with the CNI's own Pod MTU (${real.podMtu}) the encapsulated packet fits the ${setup.input.nodeMtu}-byte VPC, so nothing is too big and the filtered ICMP never matters.`, `The ${size}-byte packet does not fit ${narrow}.`),
      } },
      misconceptions: misconceptionAnswers<"single-choice">(["df-fragmented", "encap-free"], (m) => under(m as MtuModel), key),
      hints: [
        "Find the narrowest point on the path, counting any overlay's headers.",
        "What may a router do with a packet that has DF set and does not fit?",
        "Who has to hear about the drop, and can that message reach them?",
      ],
      explanation: real.trace.outcome.summary + (real.status === "black-hole" ? " The handshake's small packets pass, which is why the connection looks healthy until data flows." : ""),
      lab: mtuLab({ preset: setup.preset }),
    };
  },
};
