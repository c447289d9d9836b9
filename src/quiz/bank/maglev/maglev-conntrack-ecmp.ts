import { conntrackStory } from "../../../sim/edge/maglev-ecmp";
import { sampleFlows } from "../../../sim/edge/maglev-flows";
import { seededRandom } from "../../../sim/random";
import type { Choice, MisconceptionAnswer, Template, Why } from "../../engine/types";
import { labAt, LESSON } from "./shared";
import { orderRandomXor, pick, shuffle } from "../draw";

/**
 * ECMP reshuffles and Maglev's connection tracking (NSDI 2016 §3.3): the Maglev carrying a connection
 * is drained, and the router's ECMP hash sends the connection's next packet to another Maglev with no
 * entry for it — with or without a GFE change just before. The key is read off `conntrackStory`; the
 * "drops it" answer is the same story under the `conntrack-miss-drops` model.
 */
const ID = "maglev-conntrack-ecmp";
const MAGLEVS = ["maglev-1", "maglev-2", "maglev-3", "maglev-4"];

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { flow: 0, gfes: 5, change: "none", size: 13 };
  const random = seededRandom(seed);
  const gfes = pick(random, [3, 4, 5, 6]);
  return { flow: Math.floor(random() * 40), gfes, change: pick(random, ["none", "leave", "leave"]), size: pick(random, [13, 31]) };
}

export const maglevConntrackEcmp: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "A Maglev is drained mid-connection",
  lesson: LESSON,
  concepts: ["consistent-hashing", "l4-load-balancing"],
  file: "src/quiz/bank/maglev/maglev-conntrack-ecmp.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const gfes = Array.from({ length: p.gfes as number }, (_, i) => `gfe-${i + 1}`);
    const flow = sampleFlows(7, 40)[p.flow as number]!;
    const size = p.size as number;
    // When a GFE leaves, it is one that is not carrying this connection: the question is about the table, not a dead backend.
    const first = conntrackStory({ maglevs: MAGLEVS, gfesBefore: gfes, gfesAfter: gfes, flow, tableSize: size });
    const leaver = p.change === "leave" ? gfes.find((g) => g !== first.openedOn && g !== gfes[0]) ?? gfes.find((g) => g !== first.openedOn)! : null;
    const after = leaver ? gfes.filter((g) => g !== leaver) : gfes;
    const story = conntrackStory({ maglevs: MAGLEVS, gfesBefore: gfes, gfesAfter: after, flow, tableSize: size });
    const dropped = conntrackStory({ maglevs: MAGLEVS, gfesBefore: gfes, gfesAfter: after, flow, tableSize: size, model: "conntrack-miss-drops" });
    const takeover = story.steps.find((s) => s.id === "takeover")!.forwarding!;
    const other = after.find((g) => g !== story.openedOn && g !== story.endedOn)!;

    const same = `${story.takeover} has no entry, looks the flow up in its own table, gets ${story.openedOn} again, and the connection carries on`;
    const differentGfe = story.survived ? other : story.endedOn!;
    const diff = `${story.takeover} has no entry, looks the flow up in its own table, gets ${differentGfe}, and ${differentGfe}, which has no socket for it, resets the connection`;
    const drop = `${story.takeover} has no entry for the connection, so it drops the packet until the client gives up`;
    const sticky = `The router keeps sending the connection to ${story.drained} until it ends, because ECMP pins a flow to one next hop`;
    const copy = `${story.takeover} asks ${story.drained} for its conntrack entry and forwards to ${story.openedOn}`;
    const keyId = story.survived ? "same" : "different";
    const why: Record<string, Why> = {
      same: {
        why: story.survived
          ? `Right: with no entry, ${story.takeover} reads slot ${takeover.slot} of its table, and every Maglev builds the same table from the same GFE list, so it names ${story.openedOn}, as ${story.drained}'s did.`
          : `Not here: ${story.takeover}'s table is built from the new GFE list, and slot ${takeover.slot} now names ${story.endedOn}, not ${story.openedOn}.`,
        step: "takeover",
      },
      different: {
        why: story.survived
          ? `No: slot ${takeover.slot} of ${story.takeover}'s table names ${story.openedOn}; ${other} owns other slots.`
          : `Right: ${leaver} left before the drain, so every Maglev rebuilt its table, and slot ${takeover.slot} changed owner to ${story.endedOn}. ${story.drained} would have kept the flow on ${story.openedOn} through its conntrack entry, but ${story.takeover} has none: a Maglev change and a table change together is the case neither mechanism covers.`,
        step: "outcome",
      },
      drop: { why: `No: a Maglev without an entry treats the packet like a first packet and consults its lookup table (§3.3); it does not need the state ${story.drained} held.`, step: "takeover" },
      sticky: { why: `No: ECMP keeps no per-flow state. ${story.drained} withdrew its BGP route for the VIP, so the router's hash now spreads flows over the three remaining Maglevs.`, step: "drain" },
      copy: { why: "No: Maglevs share no connection state; the paper's design needs none, because consistent hashing lets any Maglev reach the same answer.", step: "takeover" },
    };
    const choices: Choice[] = [
      { id: "same", text: same },
      { id: "different", text: diff },
      { id: "drop", text: drop },
      { id: "sticky", text: sticky },
      { id: "copy", text: copy },
    ];
    const options = shuffle(orderRandomXor(seed, ID), choices);
    const misconceptions: MisconceptionAnswer<"single-choice">[] = dropped.endedOn === null ? [{ misconception: "conntrack-miss-drops", answer: { choice: "drop" } }] : [];
    const change = leaver ? ` A minute earlier, ${leaver} was taken out of service and every Maglev rebuilt its table from ${after.join(", ")}.` : "";
    return {
      template: ID,
      kind: "single-choice",
      seed,
      title: this.title,
      prompt:
        `Four Maglevs (${MAGLEVS.join(", ")}) announce a VIP and the edge router spreads flows over them by ECMP. Each builds a ${size}-slot Maglev table over ${gfes.join(", ")}. ` +
        `The connection ${flow.key} opened through ${story.drained}, which sent it to ${story.openedOn} and recorded that in its connection-tracking table.${change} ` +
        `Now ${story.drained} is drained, and the router sends the connection's next packet to ${story.takeover}. What happens?`,
      exhibits: [],
      view: { options },
      key: { choice: keyId },
      rubric: { options: why },
      misconceptions,
      hints: [
        `What does ${story.takeover} have to go on, without the conntrack entry?`,
        leaver ? `Is ${story.takeover}'s table the same table ${story.drained} used when the connection opened?` : `Would ${story.takeover}'s table differ from ${story.drained}'s?`,
      ],
      explanation:
        `ECMP moved the flow because ${story.drained} left; conntrack could not help, since ${story.takeover} never saw the connection. ` +
        (story.survived
          ? `Consistent hashing did: ${story.takeover}'s table, built from the same GFE list, names ${story.openedOn} for slot ${takeover.slot}, so the connection survives.`
          : `Consistent hashing could not either: the GFE list changed when ${leaver} left, slot ${takeover.slot} moved to ${story.endedOn}, and that GFE resets a connection it has never seen.`),
      // The lab draws its flows as this question does (seed 7), so it follows the very connection.
      lab: labAt({ gfes, removed: leaver ? [leaver] : [], before: leaver ? gfes : undefined, size, seed: 7, flow: p.flow as number }),
    };
  },
};
