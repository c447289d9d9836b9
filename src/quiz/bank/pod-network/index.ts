import type { AnyTemplate } from "../../engine/types";
import { planMaxNodes } from "./plan-max-nodes";
import { podMtuQuestion } from "./pod-mtu";
import { tooBigPacket } from "./too-big-packet";
import { cniArrivalTtl } from "./cni-arrival-ttl";
import { cniOnTheWire } from "./cni-on-the-wire";
import { hostNetworkSource } from "./host-network-source";

/** The pod-network questions, one line per template. */
export const POD_NETWORK_TEMPLATES: readonly AnyTemplate[] = [
  planMaxNodes,
  podMtuQuestion,
  tooBigPacket,
  cniArrivalTtl,
  cniOnTheWire,
  hostNetworkSource,
];
