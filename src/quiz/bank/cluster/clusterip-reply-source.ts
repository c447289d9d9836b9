import type { Template } from "../../engine/types";
import { clusterIpCase, clusterIpParams } from "./cases";
import { dstOf, LESSONS, misconceptionIf, srcOf, stepOf } from "./shared";

/** The reply's source as the client's socket sees it: conntrack turns the Pod's address back into the ClusterIP. */
export const clusteripReplySource: Template<"fill-in"> = {
  id: "clusterip-reply-source",
  kind: "fill-in",
  title: "Who answers a ClusterIP call?",
  lesson: LESSONS.kubeProxy,
  concepts: ["clusterip", "conntrack", "dnat"],
  file: "src/quiz/bank/cluster/clusterip-reply-source.ts",
  params: (seed) => clusterIpParams(seed ^ 0x3c3c),
  variant(seed) {
    const p = clusterIpParams(seed ^ 0x3c3c);
    const { cluster, trace, lab, run } = clusterIpCase(p);
    const svc = cluster.service;
    const sent = stepOf(trace, "client").out!;
    const server = stepOf(trace, "server");
    const answer = server.out!;
    const received = stepOf(trace, "client-receives").in!;
    const entryReply = trace.steps.find((s) => s.id === `reply-${cluster.client!.node}`)!;
    const wrong = run("no-conntrack");
    const wrongReceived = wrong.steps.find((s) => s.id === "client-receives")?.in ?? null;
    const key = { fields: { src: srcOf(received) } };
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `Pod ${cluster.client!.name} (${cluster.client!.ip}) sent ${p.protocol.toUpperCase()} ${srcOf(sent)} → ${dstOf(sent)} to Service ${svc.name}. Pod ${server.node.name.replace(/^Pod /, "")} answers, and its reply leaves it as ${srcOf(answer)} → ${dstOf(answer)}. When the reply reaches the client Pod's socket, what is its source address and port?`,
      exhibits: [
        { kind: "packet", title: "The reply as the server sends it", rows: [["protocol", answer.protocol], ["source", srcOf(answer)], ["destination", dstOf(answer)]] },
      ],
      view: { fields: [{ id: "src", label: "Source of the reply at the client (IP:port)", type: "ip-port", placeholder: "10.0.0.1:80" }] },
      key,
      rubric: {
        fields: {
          src: { why: `On ${cluster.client!.node}, the reply matches the reply tuple of the conntrack entry the request created, and the kernel reverses the DNAT: the source ${srcOf(answer)} becomes ${srcOf(received)}, the address the client's socket is connected to. No rule is consulted for it.`, step: entryReply.id },
        },
      },
      misconceptions: misconceptionIf<"fill-in">("no-conntrack", wrongReceived ? { fields: { src: srcOf(wrongReceived) } } : null, key),
      hints: [
        "The client's socket only accepts packets from the address it connected to.",
        "Which part of the kernel remembered the translation made on the way in?",
      ],
      explanation: `The request was DNATed on ${cluster.client!.node} from ${dstOf(sent)} to ${dstOf(server.in!)}, and conntrack stored both tuples. The reply carries the Pod's address as its source, which matches the entry's reply tuple; conntrack rewrites it back to ${srcOf(received)} before the client sees it. Without that step the client would get a packet from ${srcOf(answer)}, which matches none of its sockets${p.protocol === "tcp" ? ", and answer it with a reset" : " and drop it"}.`,
      lab,
    };
  },
};
