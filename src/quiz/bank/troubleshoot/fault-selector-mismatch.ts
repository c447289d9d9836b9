import { faultTemplate } from "./shared";

/** Name the fault: A Service that answers nobody. */
export const selectorMismatchFault = faultTemplate("selector-mismatch", "A Service that answers nobody", ["endpointslices", "kube-proxy-iptables"]);
