import { faultTemplate } from "./shared";

/** Name the fault: Empty after a rollout. */
export const notReadyFault = faultTemplate("not-ready", "Empty after a rollout", ["endpointslices", "ipvs"]);
