import { faultTemplate } from "./shared";

/** Name the fault: names stopped working after an egress allow-list. */
export const dnsPolicyFault = faultTemplate("dns-policy", "Names stopped working", ["network-policy", "cluster-dns"]);
