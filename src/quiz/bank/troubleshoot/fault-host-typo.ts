import { faultTemplate } from "./shared";

/** Name the fault: A 404 from the edge. */
export const hostTypoFault = faultTemplate("host-typo", "A 404 from the edge", ["ingress-routing", "url-map"]);
