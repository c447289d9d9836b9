import type { AnyTemplate } from "../../engine/types";
import { dnsLookupOrder } from "./dns-lookup-order";
import { dnsQueryCount } from "./dns-query-count";
import { whatDnsReveals } from "./what-dns-reveals";
import { staticIpAnnotation } from "./static-ip-annotation";
import { hostHeaderAnswer } from "./host-header-answer";

/** The dns questions, one line per template. */
export const DNS_TEMPLATES: readonly AnyTemplate[] = [
  dnsLookupOrder,
  dnsQueryCount,
  whatDnsReveals,
  staticIpAnnotation,
  hostHeaderAnswer,
];
