import { faultTemplate } from "./shared";

/** Name the fault: Refused though every Pod is Ready. */
export const targetPortFault = faultTemplate("target-port", "Refused though every Pod is Ready", ["dnat", "conntrack"]);
