import type { LabLink } from "../../engine/types";

/** The CNI questions' lesson and lab (`<CniPathStepper labId="cni">`). */
export const CNI_LESSON = "how-pods-reach-each-other";
export const CNI_PAGE = `/lessons/${CNI_LESSON}/`;

export function cniLab(query: Readonly<Record<string, string>>): LabLink {
  return { page: CNI_PAGE, lab: "cni", query: Object.fromEntries(Object.entries(query).map(([k, v]) => [`cni.${k}`, v])) };
}

/** The (CNI, overlay) pairs the questions draw from: every one the model runs. */
export const CNI_SETUPS = [
  ["gke-legacy", "none"], ["kubenet", "none"], ["calico", "none"], ["calico", "ipip"], ["calico", "vxlan"],
  ["dataplane-v2", "none"], ["dataplane-v2", "vxlan"], ["dataplane-v2", "geneve"],
] as const;

export function setupText(overlay: string, name: string): string {
  return overlay === "none" ? name : `${name} with ${overlay === "ipip" ? "IP-in-IP" : overlay === "vxlan" ? "VXLAN" : "Geneve"} encapsulation`;
}
