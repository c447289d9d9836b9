import type { LabLink } from "../../engine/types";

export const LESSON = "pod-addresses-and-mtu";
export const PAGE = `/lessons/${LESSON}/`;

export function plannerLab(query: Readonly<Record<string, string>>): LabLink {
  return { page: PAGE, lab: "planner", query: Object.fromEntries(Object.entries(query).map(([k, v]) => [`planner.${k}`, v])) };
}

export function mtuLab(query: Readonly<Record<string, string>>): LabLink {
  return { page: PAGE, lab: "mtu", query: Object.fromEntries(Object.entries(query).map(([k, v]) => [`mtu.${k}`, v])) };
}
