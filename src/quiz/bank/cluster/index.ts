import type { AnyTemplate } from "../../engine/types";

/** Questions on the in-cluster dataplane (Services, kube-proxy, NAT, conntrack, ways in), one line per template. */
export const CLUSTER_TEMPLATES: readonly AnyTemplate[] = [];
