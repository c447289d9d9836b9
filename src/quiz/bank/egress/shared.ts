import type { LabLink } from "../../engine/types";

export const LESSON = "leaving-the-cluster";
export const PAGE = `/lessons/${LESSON}/`;

/** A link that opens the lesson's Cloud NAT lab (labId "nat") with these settings. */
export function natLab(query: Readonly<Record<string, string>>): LabLink {
  return { page: PAGE, lab: "nat", query: Object.fromEntries(Object.entries(query).map(([k, v]) => [`nat.${k}`, v])) };
}
