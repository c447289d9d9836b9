import type { Template } from "../../engine/types";
import { clusterIpCase, clusterIpParams } from "./cases";
import { dstOf, entryStep, LESSONS, plural, rowOf, srcOf, stepOf } from "./shared";

/**
 * The header after the client node's netfilter: DNAT to the endpoint this connection's statistic
 * draws pick, the source untouched. The draws are shown, so the learner applies the chain's
 * probabilities rather than guessing.
 */
export const clusteripDnatHeader: Template<"predict-header"> = {
  id: "clusterip-dnat-header",
  kind: "predict-header",
  title: "A ClusterIP packet after the client's node",
  lesson: LESSONS.kubeProxy,
  concepts: ["clusterip", "dnat", "kube-proxy-iptables"],
  file: "src/quiz/bank/cluster/clusterip-dnat-header.ts",
  params: (seed) => clusterIpParams(seed),
  variant(seed) {
    const p = clusterIpParams(seed);
    const { cluster, trace, lab } = clusterIpCase(p);
    const svc = cluster.service;
    const sent = stepOf(trace, "client").out!;
    const entry = entryStep(trace);
    const out = entry.out!;
    const chainRules = trace.tables.find((t) => t.id === entry.tables[0])!.rows.filter((r) => r.startsWith("-A KUBE-SVC-") && r.includes(" -> "));
    const draws = entry.sub.filter((s) => s.kind === "draw").map((s, i) => {
      const m = /draw (\d+) against (\d+)/.exec(s.detail)!;
      return `rule ${i + 1}: draw ${m[1]} (matches below ${m[2]})`;
    });
    const dnatRule = rowOf(trace, entry.sub.find((s) => s.kind === "dnat")?.ref) ?? "";
    const chosenIndex = chainRules.findIndex((r) => r.includes(`-> ${out.dst}:${out.dstPort}"`)) + 1;
    const node = entry.node.id.replace(/^node-/, "");
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `Pod ${cluster.client!.namespace}/${cluster.client!.name} on ${node} opens a ${p.protocol.toUpperCase()} connection to Service ${svc.namespace}/${svc.name} at ${svc.clusterIP}:${svc.port}. The Service has ${plural(p.endpoints, "ready endpoint")}, and kube-proxy runs in iptables mode. Given the statistic draws the kernel makes for this connection, what are the packet's source and destination when it leaves ${node}'s netfilter?`,
      exhibits: [
        { kind: "packet", title: "Sent by the client Pod", rows: [["protocol", sent.protocol], ["source", srcOf(sent)], ["destination", dstOf(sent)]] },
        { kind: "output", command: `iptables-save -t nat | grep '^-A KUBE-SVC-.* -> '   # on ${node}`, text: chainRules.join("\n") },
        { kind: "text", text: `The statistic match's draws for this connection, in rule order (31-bit values; a rule matches when its draw is below probability × 2^31): ${draws.length ? draws.join("; ") : "none — the only rule has no statistic match"}.` },
      ],
      view: {
        after: { step: entry.id, name: entry.node.name },
        fields: [
          { id: "src", label: "Source (IP:port)", type: "ip-port", placeholder: "10.0.0.1:40000" },
          { id: "dst", label: "Destination (IP:port)", type: "ip-port", placeholder: "10.0.0.2:80" },
        ],
      },
      key: { fields: { src: srcOf(out), dst: dstOf(out) } },
      rubric: {
        fields: {
          src: { why: `DNAT rewrites only the destination. The source ${srcOf(out)} is a Pod address inside clusterCIDR, so KUBE-SVC's "! -s" masquerade rule does not match and nothing marks the packet for MASQUERADE.`, step: entry.id },
          dst: { why: `Rule ${chosenIndex} of the KUBE-SVC chain is the first whose statistic draw matched (or the last rule, which has none); it jumps to the KUBE-SEP chain whose rule "${dnatRule}" rewrites the destination to ${dstOf(out)} — the Pod's address and target port.`, step: entry.id },
        },
      },
      misconceptions: [],
      hints: [
        "The rules run in order; the first KUBE-SVC rule whose statistic match succeeds sends the packet to its KUBE-SEP chain.",
        "A probability p matches when the draw is below p × 2^31; the last rule has no statistic match and catches everything left.",
        "Which addresses does a DNAT touch, and which does it leave alone?",
      ],
      explanation: `The packet enters ${node}'s netfilter from the Pod's veth, in nat PREROUTING. KUBE-SERVICES matches ${svc.clusterIP}:${svc.port} and jumps to the Service's KUBE-SVC chain, which tries its endpoint rules in order with probabilities 1/n, 1/(n−1), …; this connection's draws stop at rule ${chosenIndex}, whose KUBE-SEP chain DNATs to ${dstOf(out)}. The source stays ${srcOf(out)}: a Pod-to-Service call is not masqueraded, so the server sees the client Pod's own address.`,
      lab,
    };
  },
};
