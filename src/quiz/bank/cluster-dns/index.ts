import type { AnyTemplate } from "../../engine/types";
import { podNameserver } from "./pod-nameserver";
import { queryCount } from "./query-count";
import { queryOrder } from "./query-order";

/** The cluster-dns questions, one line per template. */
export const CLUSTER_DNS_TEMPLATES: readonly AnyTemplate[] = [
  queryOrder,
  queryCount,
  podNameserver,
];
