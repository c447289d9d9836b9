import { isDnat, isSnat, type ConntrackEntry } from "../../../sim/netfilter/index";
import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { arrange, entryStep, LESSONS, misconceptionIf, presetJourney, presetLab } from "./shared";

/** Journeys whose conntrack entry on the entry node shows each kind of translation. */
const CASES = [
  { scenario: "clusterip-from-pod", preset: "default", lesson: LESSONS.kubeProxy, lab: "nat" },
  { scenario: "nodeport-from-outside", preset: "default", lesson: LESSONS.waysIn, lab: "nodeport" },
  { scenario: "nodeport-from-outside", preset: "other-node", lesson: LESSONS.waysIn, lab: "nodeport" },
  { scenario: "loadbalancer-local", preset: "default", lesson: LESSONS.waysIn, lab: "local" },
  { scenario: "gke-ingress", preset: "default", lesson: LESSONS.waysIn, lab: "ingress" },
  { scenario: "gke-ingress", preset: "instance-groups", lesson: LESSONS.waysIn, lab: "ingress" },
] as const;

/** What a seed draws: a case, and the seed of the connection whose entry is shown. */
function draw(seed: number) {
  const random = seededRandom(seed ^ 0xc7);
  return { case: seed % CASES.length, connection: randomInt(random, 0, 99_999) };
}

/**
 * The variant's parameters: its case and the conntrack entry it shows. Two connection seeds can draw
 * the same ports and endpoint, and then they are the same question.
 */
function params(seed: number) {
  const d = draw(seed);
  const c = CASES[d.case]!;
  return { case: d.case, entry: conntrackLine(presetJourney(c.scenario, c.preset, d.connection, null)) };
}

function conntrackLine(trace: ReturnType<typeof presetJourney>): string {
  const entry = entryStep(trace);
  return trace.tables.find((t) => t.id.startsWith("conntrack@") && entry.tables.includes(t.id))!.rows[0]!;
}

/** One `conntrack -L` line, parsed back into its two tuples. */
function parseEntry(line: string): ConntrackEntry {
  const tuples = [...line.matchAll(/src=(\S+) dst=(\S+) sport=(\d+) dport=(\d+)/g)].map((m) => ({ src: m[1]!, dst: m[2]!, srcPort: Number(m[3]), dstPort: Number(m[4]) }));
  return { protocol: line.split(/\s+/)[0] as "tcp", original: tuples[0]!, reply: tuples[1]!, state: null, flags: [], timeout: 0, mark: 0 };
}

function kindOf(entry: ConntrackEntry): "dnat-only" | "dnat-snat" | "snat-only" | "none" {
  const d = isDnat(entry);
  const s = isSnat(entry);
  return d && s ? "dnat-snat" : d ? "dnat-only" : s ? "snat-only" : "none";
}

/** Read a node's `conntrack -L` line after a first packet: which translations did the node make? */
export const diagnoseConntrack: Template<"diagnosis"> = {
  id: "diagnose-conntrack",
  kind: "diagnosis",
  title: "Reading a conntrack entry",
  lesson: LESSONS.kubeProxy,
  concepts: ["conntrack", "dnat", "masquerade"],
  file: "src/quiz/bank/cluster/diagnose-conntrack.ts",
  params,
  variant(seed) {
    const p = draw(seed);
    const c = CASES[p.case]!;
    const run = (model: string | null) => {
      const trace = presetJourney(c.scenario, c.preset, p.connection, model);
      const entry = entryStep(trace);
      const table = trace.tables.find((t) => t.id.startsWith("conntrack@") && entry.tables.includes(t.id))!;
      return { trace, entry, node: table.id.replace("conntrack@", ""), line: table.rows[0]! };
    };
    const real = run(null);
    const entry = parseEntry(real.line);
    const key = kindOf(entry);
    const o = entry.original;
    const r = entry.reply;
    const candidates = [
      { id: "dnat-only", text: "Only the destination was translated: the first packet's destination was rewritten to a Pod, and the source is the client's own." },
      { id: "dnat-snat", text: "Both were translated: DNAT to a Pod and masquerade to the node's own address, so replies come back to this node." },
      { id: "snat-only", text: "Only the source was translated, as for a Pod reaching the internet through the node's masquerade." },
      { id: "none", text: "Nothing was translated: the packet was already addressed to the Pod, and this node only forwarded it." },
    ];
    const facts = `The reply tuple expects the answer from ${r.src}:${r.srcPort} (the original destination was ${o.dst}:${o.dstPort}) and sends it to ${r.dst}:${r.dstPort} (the original source was ${o.src}:${o.srcPort}).`;
    const why: Record<string, string> = {
      "dnat-only": key === "dnat-only" ? `${facts} Only the first pair differs: DNAT.` : `${facts} ${key === "none" ? "Neither pair differs." : "The destination pair differs, but so does the source pair."}`,
      "dnat-snat": key === "dnat-snat" ? `${facts} Both pairs differ: DNAT and masquerade.` : `${facts} ${isSnat(entry) ? "" : `The reply goes back to ${o.src}, the original source: no masquerade.`}`,
      "snat-only": `${facts} ${isDnat(entry) ? "The reply comes from a different address than the original destination, so the destination was translated." : "The source was not translated either."}`,
      none: key === "none" ? `${facts} Both pairs mirror the original: a NEG-style packet addressed to the Pod itself.` : `${facts} The tuples are not mirror images, so something was translated.`,
    };
    const { options, rubric } = arrange(candidates.map((x) => ({ ...x, correct: x.id === key, why: why[x.id]!.trim(), step: real.entry.id })), seededRandom(seed ^ 0x2c));
    const model = run("nodeport-keeps-client");
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `Right after the first packet of a new connection passed node ${real.node}, conntrack on that node shows the entry below. What did ${real.node}'s netfilter do to the connection's addresses?`,
      exhibits: [{ kind: "output", command: `conntrack -L   # on ${real.node}`, text: real.line }],
      view: { options },
      key: { choice: key },
      rubric: { options: rubric },
      misconceptions: misconceptionIf<"diagnosis">("nodeport-keeps-client", { choice: kindOf(parseEntry(model.line)) }, { choice: key }),
      hints: [
        "An entry holds the tuple the first packet carried, then the tuple a reply must carry.",
        "If nothing were translated, the reply tuple would be the original with source and destination swapped.",
      ],
      explanation: `conntrack stores NAT as the difference between the two tuples. ${facts} ${key === "dnat-snat" ? "Both differ from the mirror image of the original, so the node translated the destination (DNAT to an endpoint) and the source (masquerade to its own address)." : key === "dnat-only" ? "Only the address to answer from differs, so the node translated the destination and kept the client's address." : key === "none" ? "The reply tuple is the original mirrored: the node translated nothing." : "Only the source was translated."}`,
      // The entry was read from the journey at seed p.connection: the link opens the lab on that very walk.
      lab: presetLab(c.lesson, c.lab, c.preset, p.connection),
    };
  },
};
