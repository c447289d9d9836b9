import { faultTemplate } from "./shared";

/** Name the fault: One node hangs. */
export const noLocalEndpointFault = faultTemplate("no-local-endpoint", "One node hangs", ["external-traffic-policy", "health-checks"]);
