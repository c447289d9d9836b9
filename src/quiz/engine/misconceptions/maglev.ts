import type { Misconception } from "../misconceptions";

/**
 * Wrong models of the maglev system the grader recognises; each id is a mode of its simulator:
 * `modulo-is-consistent` and `maglev-is-modulo` are answers read off `measureDisruption`
 * (src/sim/edge/maglev-disruption.ts) run with another scheme than the one asked about (rendezvous,
 * which moves only what it must; hash mod N), and `conntrack-miss-drops` is the forwarding model of
 * that name in src/sim/edge/maglev-ecmp.ts.
 */
export const MAGLEV_MISCONCEPTIONS: readonly Misconception[] = [
  {
    id: "modulo-is-consistent",
    name: "Hash mod N moves only the lost backend's flows",
    belief: "With backend = hash mod N, removing one backend only reassigns the flows that were on it; the others keep their backend.",
    whyWrong:
      "The remainder depends on N itself: when N changes, h mod N and h mod (N−1) agree for only about one flow in N, and the survivors are renumbered too. Removing one of N backends moves about (N−1)/N of all flows. Only schemes built for it, such as rendezvous or Maglev hashing, keep the others in place.",
  },
  {
    id: "maglev-is-modulo",
    name: "Maglev reshuffles like hash mod N",
    belief: "Maglev hashes flows over the backends, so when one leaves the whole mapping is recomputed and most flows move, as with hash mod N.",
    whyWrong:
      "Maglev's table is filled from per-backend permutations that depend only on each backend's name. When one leaves, the survivors walk the same permutations and claim almost the same slots, so little beyond the departed backend's own flows moves: about 1/N of flows, plus a small needless share.",
  },
  {
    id: "conntrack-miss-drops",
    name: "A Maglev without the connection's entry drops it",
    belief: "Only the Maglev that saw a connection's first packet can forward it; any other Maglev has no state for it and must drop its packets.",
    whyWrong:
      "A Maglev with no entry treats the packet like a first packet: it looks the 5-tuple up in its Maglev hashing table. Every Maglev builds the same table from the same backend set, so it picks the same backend and the connection survives without any state being shared (NSDI 2016 §3.3). It breaks only if the backend set changed too.",
  },
];
