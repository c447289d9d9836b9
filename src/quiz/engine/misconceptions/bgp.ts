import type { Misconception } from "../misconceptions";

/**
 * Wrong models of the bgp system the grader recognises; each id is a mode of its simulator:
 * `anycast-nearest-site` is `anycastOutcomes(…, "anycast-nearest-site")` (src/sim/bgp/anycast.ts),
 * which sends every user to the announcing site nearest by great-circle distance.
 */
export const BGP_MISCONCEPTIONS: readonly Misconception[] = [
  {
    id: "anycast-nearest-site",
    name: "Anycast goes to the physically closest site",
    belief: "Packets to an anycast address always reach the data centre nearest the user on the map.",
    whyWrong:
      "Nothing in BGP measures distance to the destination. Each router picks among its routes by local preference (who pays whom), then AS-path length (networks crossed), then — only among routes still tied — its own cheapest exit. A user whose provider meets the anycast network only far away, or whose provider's shortest path leads elsewhere, lands far from the nearest site.",
  },
];
