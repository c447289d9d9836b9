import type { AnyTemplate } from "../../engine/types";
import { bgpAnycastSite } from "./bgp-anycast-site";
import { bgpDecidingRule } from "./bgp-deciding-rule";
import { bgpDecisionOrder } from "./bgp-decision-order";
import { bgpLongestMatch } from "./bgp-longest-match";

/** The bgp questions, one line per template. */
export const BGP_TEMPLATES: readonly AnyTemplate[] = [
  bgpAnycastSite,
  bgpDecidingRule,
  bgpDecisionOrder,
  bgpLongestMatch,
];
