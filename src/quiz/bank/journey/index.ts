import type { AnyTemplate } from "../../engine/types";
import { anycastSites } from "./anycast-sites";
import { bypassOriginProtection } from "./bypass-origin-protection";
import { cacheStatus } from "./cache-status";
import { coldConnections } from "./cold-connections";
import { forwardedForChain } from "./forwarded-for-chain";
import { headerAfterCloudflare } from "./header-after-cloudflare";
import { healthCheckedPods } from "./health-checked-pods";
import { hostHeaderStatus } from "./host-header-status";
import { leg3Order } from "./leg-3-order";
import { longHaulFibreTime } from "./long-haul-fibre-time";
import { maglevRebuildShare } from "./maglev-rebuild-share";
import { middleMile } from "./middle-mile";

/** The flagship journey's questions on anycast, latency, peering, the Host header, caching and the edge, one line per template. */
export const JOURNEY_TEMPLATES: readonly AnyTemplate[] = [
  longHaulFibreTime,
  hostHeaderStatus,
  middleMile,
  anycastSites,
  cacheStatus,
  headerAfterCloudflare,
  forwardedForChain,
  healthCheckedPods,
  maglevRebuildShare,
  coldConnections,
  bypassOriginProtection,
  leg3Order,
];
