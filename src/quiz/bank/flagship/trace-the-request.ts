import type { Trace } from "../../../sim/index";
import { DECOY_PREFIX } from "../../trace-decoys";
import { QUESTION_ID, questionParams, questionTrace, questionView, traceKey } from "../../trace-the-request";
import type { AnswerOf, Template } from "../../engine/types";
import { cachedTrace, journeyLab, LESSON, misconceptionAnswers, requestHops, settingsExhibit } from "./shared";

/**
 * Question 1 of the source material — trace a request from the browser to wherever it is answered,
 * marking TLS terminations and anycast decisions — as a bank template. The question itself (its
 * parameters, prompt, options and decoys, and the key read off the trace) is `quiz/trace-the-request.ts`,
 * which the lesson's embedded question also uses; this file gives it the engine's shape and adds the
 * answers three wrong models give, each read off the variant's trace under that model.
 */

const MARKS = [
  { id: "tls", text: "TLS terminates here" },
  { id: "anycast", text: "An anycast routing decision is made here" },
] as const;

/** Devices only a wrong model's trace has, as the question's decoy options name them. */
const AS_DECOY: Readonly<Record<string, string>> = { "lb-appliance": `${DECOY_PREFIX}lb-appliance`, "cloud-nat": `${DECOY_PREFIX}cloud-nat` };

/**
 * The path a wrong model's trace gives, in the question's option ids: a device the model adds is the
 * decoy naming it, and a node that DNATs (kube-proxy on the path) is followed by the kube-proxy decoy.
 * Null when the path names something the question does not offer.
 */
function modelAnswer(trace: Trace, offered: ReadonlySet<string>): AnswerOf["trace-builder"] | null {
  const hops: { item: string; marks: string[] }[] = [];
  for (const h of requestHops(trace)) {
    const marks = [
      ...(h.events.some((e) => e.type === "tls-terminate") ? ["tls"] : []),
      ...(h.events.some((e) => e.type === "anycast-route") ? ["anycast"] : []),
    ];
    hops.push({ item: AS_DECOY[h.device.id] ?? h.device.id, marks });
    if (h.device.id === "node" && h.events.some((e) => e.type === "dnat")) hops.push({ item: `${DECOY_PREFIX}kube-proxy`, marks: [] });
  }
  return hops.every((h) => offered.has(h.item)) ? { hops } : null;
}

export const traceTheRequest: Template<"trace-builder"> = {
  id: QUESTION_ID,
  kind: "trace-builder",
  title: "Trace the request",
  lesson: LESSON,
  concepts: ["tls-termination", "anycast", "gfe", "neg", "cdn-proxy"],
  file: "src/quiz/bank/flagship/trace-the-request.ts",
  source: "seed 000, question 1",
  params: (seed) => questionParams(seed),
  variant(seed) {
    const q = questionView(seed);
    const trace = questionTrace(q);
    const key = traceKey(trace);
    const answer: AnswerOf["trace-builder"] = {
      hops: key.hops.map((h) => ({ item: h.device, marks: [...(h.tls ? ["tls"] : []), ...(h.anycast ? ["anycast"] : [])] })),
    };
    const offered = new Set(q.options.map((o) => o.id));
    const end = key.hops.at(-1)!;
    return {
      template: QUESTION_ID, kind: "trace-builder", seed, title: this.title,
      prompt: q.prompt,
      exhibits: [settingsExhibit(q.params, q.settings.map((s) => s.key))],
      view: { options: q.options.map((o) => ({ id: o.id, text: o.name })), marks: MARKS.map((m) => ({ ...m })) },
      key: answer,
      rubric: {
        hops: key.hops.map((h) => ({ item: h.device, role: h.role, step: h.step, marks: { tls: h.tlsWhy, anycast: h.anycastWhy } })),
        offPath: Object.fromEntries(Object.entries(key.offPath).map(([id, o]) => [id, { why: o.why, step: o.step }])),
        weights: { order: 0.6, tls: 0.2, anycast: 0.2 },
      },
      misconceptions: misconceptionAnswers<"trace-builder">(
        ["tls-at-pod", "separate-lb-box", "kube-proxy-on-neg-path", "cloud-nat-inbound"],
        (model) => modelAnswer(cachedTrace(q.params, 0, model), offered),
        answer,
      ),
      hints: [
        "Start from the DNS answer: whose address does the browser connect to, and how does its ISP choose among the sites announcing it?",
        "A device terminates TLS only if it must read the HTTP request. Which devices on this path read Host and path?",
        "Inside Google, between the router and the Pod, which devices balance packets without reading them, and which one chooses the Pod?",
      ],
      explanation:
        `The request passes ${key.hops.length} devices and ends at ${end.name}. ` +
        key.hops.filter((h) => h.tls).map((h) => h.tlsWhy).join(" ") + " " +
        key.hops.filter((h) => h.anycast).map((h) => h.anycastWhy).join(" ") +
        " Everything between the proxies forwards packets without reading them, and with container-native load balancing nothing on the node translates the Pod's address.",
      lab: journeyLab("journey", q.params),
    };
  },
};
