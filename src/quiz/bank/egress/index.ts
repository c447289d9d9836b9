import type { AnyTemplate } from "../../engine/types";
import { droppedConnections } from "./nat-dropped-connections";
import { egressPathQuestion } from "./egress-path";
import { vmsPerNatIpQuestion } from "./vms-per-nat-ip";

/** The egress questions (Cloud NAT, Private Google Access), one line per template. */
export const EGRESS_TEMPLATES: readonly AnyTemplate[] = [
  vmsPerNatIpQuestion,
  droppedConnections,
  egressPathQuestion,
];
