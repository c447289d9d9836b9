import { userToFront, userReceives, USER_CITIES } from "../edge/client";
import { cloudflareReturns, cloudflareSite, type CloudflareVisit } from "../edge/cloudflare-edge";
import { EDGE_CERT } from "../edge/cloudflare";
import { gfe, gfeRelays, urlMapRoutes } from "../edge/gfe";
import { ORIGIN_CERTIFICATES } from "../edge/gfe-certificates";
import { FLAGSHIP_MODELS, isFlagshipModel } from "../edge/models";
import { googleEdge, googleRouterReturns, type GoogleArrival } from "../edge/google-edge";
import { finishJourney, startEdgeJourney, type CacheState, type EdgeJourney, type EdgeJourneySettings, type OriginProtection, type PodHealth, type ProxyMode } from "../edge/journey";
import { APP_CACHE_CONTROL, clusterRegion, negEndpoints, nodeToPod, podAnswers, type GkeConnection, type RegionName } from "../gcp/gke";
import { middleboxInbound, middleboxOutbound } from "../gcp/middlebox";
import { backboneToGfe, backboneToNode } from "../gcp/vpc";
import type { Packet } from "../net/packet";
import { LEG_STAGES, type Trace } from "../trace";
import { CLOUDFLARE_GKE_PARAMS } from "./cloudflare-gke-params";
import type { Scenario } from "./scenario";

export { CLOUDFLARE_IPV4_RANGES, CLOUDFLARE_SITES, isCloudflareAddress } from "../edge/cloudflare";
export { gfeSourceAddress, GOOGLE_PROXY_RANGES } from "../edge/gfe";
export { ORIGIN_CERTIFICATES } from "../edge/gfe-certificates";
export { FLAGSHIP_MODELS, type FlagshipModel } from "../edge/models";
export { GOOGLE_EDGE_SITES } from "../edge/google-edge";
export { REGIONS } from "../gcp/gke";
export { INGRESS_FIREWALL_RULE } from "../gcp/vpc";

/*
 * The flagship journey: a browser → Cloudflare → Google's edge → a GKE Pod reached through a
 * container-native (NEG) load balancer, and back — composed from the stage functions of the systems
 * it crosses (`edge/client.ts`, `edge/cloudflare-edge.ts`, `edge/google-edge.ts`, `edge/gfe.ts`,
 * `gcp/vpc.ts`, `gcp/gke.ts`). Each stage adds its hops and hands on what its system sends; the way
 * back goes through the same systems in reverse, less the L4 balancers (direct server return).
 */

const ID = "cloudflare-gke";

function settings(params: Readonly<Record<string, string>>): EdgeJourneySettings {
  const user = USER_CITIES[params.city as keyof typeof USER_CITIES];
  return {
    path: "/",
    host: params.host ?? "www.example.com",
    mode: (params.cloudflare ?? "on") as ProxyMode,
    user: { site: user.site, ip: user.ip },
    cluster: clusterRegion(params.region as RegionName),
    cache: { eligible: params["cache-rule"] === "cache-everything", state: (params.cache ?? "miss") as CacheState },
    podHealth: (params["pod-health"] ?? "all-healthy") as PodHealth,
    cold: params.connections === "cold",
    protection: (params["origin-protection"] ?? "none") as OriginProtection,
    originCert: ORIGIN_CERTIFICATES[params["origin-cert"] ?? "certificate-manager"]!,
    edgeCertNames: EDGE_CERT.names,
  };
}

/** What a fresh copy in Cloudflare's cache is: the origin's earlier answer (errors are never stored). */
const cachedCopy = (j: EdgeJourney) => (urlMapRoutes(j.host, j.path) ? { status: "200 OK", cacheControl: APP_CACHE_CONTROL } : { status: "404 Not Found" });

function run(params: Readonly<Record<string, string>>, seed: number, model: string | null = null): Trace {
  if (model !== null && !isFlagshipModel(model)) throw new Error(`"${ID}" has no model "${model}"`);
  const j = startEdgeJourney(ID, params, seed, settings(params), model);
  const { arrived, connection } = userToFront(j); // leg 1: DNS, the browser, the ISP's anycast route

  let cloudflare: CloudflareVisit | null = null;
  let atGoogle: GoogleArrival = { packet: arrived, fromIp: connection.ip, fromPort: connection.port, site: connection.frontSite };
  if (j.viaCloudflare) {
    const cf = cloudflareSite(j, connection, arrived, cachedCopy(j)); // legs 1–2: Unimog, the edge, origin pull
    if (cf.kind === "answered") {
      userReceives(j, cf.toUser);
      return finishJourney(j);
    }
    cloudflare = cf.visit;
    atGoogle = cf.toGoogle;
  }

  const google = googleEdge(j, atGoogle); // leg 3: ECMP over Maglevs, Maglev over GFEs
  const atGfe = gfe(j, google, negEndpoints(j)); // leg 3: TLS, URL map, Cloud Armor, the NEG's endpoint
  let fromGfe: Packet;
  if (atGfe.kind === "answered") {
    fromGfe = atGfe.out;
  } else {
    const c: GkeConnection = {
      pod: atGfe.endpoint, nodeHost: atGfe.endpoint.nodeHost,
      sourceIp: atGfe.sourceIp, sourcePort: atGfe.sourcePort, gfeHost: google.gfe.host, gfeSite: google.site,
      ...(atGfe.deferred ? { selection: atGfe.deferred } : {}),
    };
    // Leg 4: backbone, node, Pod (with the appliance or NAT gateway a wrong model believes in, if any).
    nodeToPod(j, c, middleboxInbound(j, c, backboneToNode(j, c, atGfe.toPod)));
    // Leg 5: Pod, node, backbone, GFE.
    fromGfe = gfeRelays(j, google, backboneToGfe(j, c, middleboxOutbound(j, c, podAnswers(j, c))));
  }
  const pastGoogle = googleRouterReturns(j, google, fromGfe);
  userReceives(j, cloudflare ? cloudflareReturns(j, cloudflare, pastGoogle) : pastGoogle);
  return finishJourney(j);
}

export const cloudflareGke: Scenario = {
  id: ID,
  title: "A browser to a GKE Pod through Cloudflare and Google's edge",
  description:
    "HTTPS GET for https://www.example.com/ from a user's browser, proxied by Cloudflare (Unimog spreads it over a site's " +
    "servers), load-balanced by the classic Application Load Balancer that GKE Ingress provisions (ECMP over Maglevs, " +
    "Maglev over GFEs, the GFE over a container-native NEG), and answered by a Pod.",
  params: CLOUDFLARE_GKE_PARAMS,
  stages: LEG_STAGES,
  models: FLAGSHIP_MODELS,
  run,
};
