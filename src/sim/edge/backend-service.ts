import { InputError } from "../net/errors";
import { seededRandom } from "../random";
import { greatCircleKm, SITES, type SiteId } from "../geo";

/**
 * A backend service and how a GFE picks a backend for one request.
 *
 * Backends are zonal NEGs of `GCE_VM_IP_PORT` endpoints (a Pod's IP:port, what GKE's container-native
 * load balancing creates) or instance groups (node VMs, reached on a named port — a NodePort). Each
 * endpoint carries the health the load balancer's health checks report: only HEALTHY ones get new
 * requests; UNHEALTHY fail their checks, DRAINING are being removed (existing requests finish,
 * connection draining), UNKNOWN have not been checked yet.
 *
 * Balancing mode and capacity, per backend: RATE (`maxRatePerEndpoint` × endpoints for a NEG,
 * `maxRatePerInstance` × instances for a group), UTILIZATION (instance groups only: the group's
 * average CPU against `maxUtilization`), CONNECTION (`maxConnectionsPerEndpoint`; for TCP/SSL proxy
 * load balancers — an HTTP(S) backend service does not accept it, which the model reports). The
 * capacity scaler multiplies it; 0 drains the backend.
 *
 * Locality: the model implements WATERFALL_BY_REGION, the default algorithm of the external
 * Application Load Balancer (and the only one the classic load balancer GKE Ingress provisions uses):
 * the region nearest the GFE that has healthy endpoints and spare capacity takes the request; when it
 * is full the overflow spills to the next nearest. Within the region, the least-loaded backend relative
 * to its capacity is chosen, and within it an endpoint by `localityLbPolicy` ROUND_ROBIN — drawn here
 * with a seed, since every GFE chooses on its own without a shared counter. Not modelled: the global
 * external ALB's `serviceLbPolicy` alternatives (SPRAY_TO_REGION, SPRAY_TO_WORLD, WATERFALL_BY_ZONE),
 * auto-capacity draining, preferred backends, other `localityLbPolicy` values (LEAST_REQUEST, RING_HASH,
 * MAGLEV …), outlier detection and session affinity. What happens when every region is full is
 * simplified to "stay in the nearest region with healthy endpoints".
 */

export type EndpointHealth = "HEALTHY" | "UNHEALTHY" | "DRAINING" | "UNKNOWN";
export type BalancingMode = "RATE" | "UTILIZATION" | "CONNECTION";

export interface NegEndpointSpec {
  readonly ip: string;
  readonly port: number;
  /** The Pod behind the endpoint and the node it runs on. */
  readonly pod: string;
  readonly node: string;
  readonly health: EndpointHealth;
}

export interface NodeInstance {
  readonly name: string;
  readonly ip: string;
  readonly health: EndpointHealth;
  /** Average CPU utilisation, 0–1, for UTILIZATION mode. */
  readonly utilization?: number;
}

interface BackendCommon {
  readonly name: string;
  readonly zone: string;
  readonly balancingMode: BalancingMode;
  /** 0 (drain) or 0.1–1. */
  readonly capacityScaler: number;
  /** The requests per second (or connections) the backend is already taking. */
  readonly load: number;
}

export interface NegBackend extends BackendCommon {
  readonly kind: "zonal-neg";
  readonly maxRatePerEndpoint?: number;
  readonly maxConnectionsPerEndpoint?: number;
  readonly endpoints: readonly NegEndpointSpec[];
}

export interface InstanceGroupBackend extends BackendCommon {
  readonly kind: "instance-group";
  readonly namedPort: { readonly name: string; readonly port: number };
  readonly maxRatePerInstance?: number;
  readonly maxUtilization?: number;
  readonly instances: readonly NodeInstance[];
  /** The Service's ready Pods across the cluster: kube-proxy on the node picks among all of them. */
  readonly servicePods: readonly { readonly pod: string; readonly ip: string; readonly port: number; readonly node: string }[];
}

export type Backend = NegBackend | InstanceGroupBackend;

export interface BackendService {
  readonly name: string;
  readonly backends: readonly Backend[];
}

export interface BackendStep {
  readonly stage: "health" | "region" | "backend" | "endpoint" | "kube-proxy";
  readonly label: string;
  readonly verdict: "chosen" | "skipped" | "full" | "info";
  readonly why: string;
}

/** One network hop from the GFE to the Pod. */
export interface BackendHop {
  readonly from: string;
  readonly to: string;
  readonly what: string;
}

export interface BackendChoice {
  readonly backend: Backend | null;
  readonly region: string | null;
  /** The NEG endpoint or node the GFE connects to. */
  readonly target: { readonly ip: string; readonly port: number; readonly name: string } | null;
  /** The Pod that answers (after kube-proxy's choice, for an instance group). */
  readonly pod: { readonly pod: string; readonly ip: string; readonly port: number; readonly node: string } | null;
  /** null when a backend was picked; otherwise what the GFE answers. */
  readonly failure: { readonly status: 502; readonly statusDetails: "failed_to_pick_backend"; readonly why: string } | null;
  readonly hops: readonly BackendHop[];
  readonly steps: readonly BackendStep[];
}

/** GCP regions the model places (the data centre town each is in). */
export const REGION_SITES: Readonly<Record<string, SiteId>> = {
  "us-central1": "council-bluffs",
  "europe-west1": "saint-ghislain",
  "asia-northeast1": "tokyo-dc",
};

/** `us-central1-a` → `us-central1`. */
export function regionOf(zone: string): string {
  return zone.replace(/-[a-z]$/, "");
}

function capacity(b: Backend): { value: number; used: number; unit: string; detail: string } {
  const healthy = b.kind === "zonal-neg" ? b.endpoints.filter((e) => e.health === "HEALTHY").length : b.instances.filter((i) => i.health === "HEALTHY").length;
  const unit = b.balancingMode === "CONNECTION" ? "connections" : "requests/s";
  if (b.balancingMode === "UTILIZATION") {
    const inst = b.kind === "instance-group" ? b.instances.filter((i) => i.health === "HEALTHY") : [];
    const avg = inst.length ? inst.reduce((s, i) => s + (i.utilization ?? 0), 0) / inst.length : 1;
    const max = (b.kind === "instance-group" ? b.maxUtilization ?? 0.8 : 0.8) * b.capacityScaler;
    return { value: max, used: avg, unit: "CPU", detail: `average CPU ${(avg * 100).toFixed(0)}% of a ${(max * 100).toFixed(0)}% target (maxUtilization × capacityScaler ${b.capacityScaler})` };
  }
  const per = b.kind === "zonal-neg"
    ? (b.balancingMode === "RATE" ? b.maxRatePerEndpoint : b.maxConnectionsPerEndpoint) ?? 0
    : b.maxRatePerInstance ?? 0;
  const value = per * healthy * b.capacityScaler;
  const each = b.kind === "zonal-neg" ? (b.balancingMode === "RATE" ? "maxRatePerEndpoint" : "maxConnectionsPerEndpoint") : "maxRatePerInstance";
  return { value, used: b.load, unit, detail: `${b.load} of ${value} ${unit} (${each} ${per} × ${healthy} healthy × capacityScaler ${b.capacityScaler})` };
}

/**
 * Checks the combinations the API refuses for an HTTP(S) backend service.
 *
 * @throws InputError naming the backend
 */
export function validateBackendService(service: BackendService): void {
  for (const b of service.backends) {
    if (!(b.capacityScaler === 0 || (b.capacityScaler >= 0.1 && b.capacityScaler <= 1))) throw new InputError(b.name, "capacityScaler must be 0 or from 0.1 to 1");
    if (b.balancingMode === "UTILIZATION" && b.kind === "zonal-neg") throw new InputError(b.name, "UTILIZATION balancing mode needs an instance group; a zonal NEG of GCE_VM_IP_PORT endpoints uses RATE here");
    if (b.balancingMode === "CONNECTION") throw new InputError(b.name, "CONNECTION balancing mode is for TCP/SSL proxy and passthrough load balancers; an Application Load Balancer's backend uses RATE (or UTILIZATION for instance groups)");
  }
}

/**
 * The GFE's choice for one request.
 *
 * @param gfe where the GFE that took the request is (its distance to each region orders the waterfall)
 * @example pickBackend(service, "paris", 0).target
 */
export function pickBackend(service: BackendService, gfe: SiteId, seed: number): BackendChoice {
  validateBackendService(service);
  const steps: BackendStep[] = [];
  const random = seededRandom(seed);
  const gfeSite = SITES[gfe];

  for (const b of service.backends) {
    const list = b.kind === "zonal-neg" ? b.endpoints.map((e) => ({ name: `${e.ip}:${e.port} (${e.pod})`, health: e.health })) : b.instances.map((i) => ({ name: `${i.name} ${i.ip}:${b.namedPort.port}`, health: i.health }));
    const healthy = list.filter((x) => x.health === "HEALTHY").length;
    steps.push({
      stage: "health", label: `${b.kind === "zonal-neg" ? "NEG" : "instance group"} ${b.name} (${b.zone})`, verdict: "info",
      why: `${healthy} of ${list.length} ${b.kind === "zonal-neg" ? "endpoints" : "nodes"} HEALTHY${list.filter((x) => x.health !== "HEALTHY").map((x) => `; ${x.name} ${x.health}`).join("")}`,
    });
  }

  const regions = [...new Set(service.backends.map((b) => regionOf(b.zone)))].map((region) => {
    const site = REGION_SITES[region];
    return { region, km: site ? greatCircleKm(gfeSite, SITES[site]) : Infinity };
  }).sort((a, b) => a.km - b.km || a.region.localeCompare(b.region));

  const usable = (b: Backend) => b.capacityScaler > 0 && (b.kind === "zonal-neg" ? b.endpoints.some((e) => e.health === "HEALTHY") : b.instances.some((i) => i.health === "HEALTHY"));
  let chosenRegion: string | null = null;
  let fallback: string | null = null;
  for (const { region, km } of regions) {
    const inRegion = service.backends.filter((b) => regionOf(b.zone) === region && usable(b));
    const where = `${region} (${Number.isFinite(km) ? `${Math.round(km).toLocaleString("en")} km from the GFE in ${gfeSite.name}` : "distance unknown"})`;
    if (inRegion.length === 0) {
      steps.push({ stage: "region", label: region, verdict: "skipped", why: `${where}: no healthy endpoint with capacity scaler above 0` });
      continue;
    }
    fallback ??= region;
    const spare = inRegion.some((b) => {
      const c = capacity(b);
      return c.used < c.value;
    });
    if (!spare) {
      steps.push({ stage: "region", label: region, verdict: "full", why: `${where}: every backend is at capacity, so the request spills over to the next nearest region` });
      continue;
    }
    steps.push({ stage: "region", label: region, verdict: "chosen", why: `${where}: the nearest region with healthy endpoints and spare capacity (waterfall by region)` });
    chosenRegion = region;
    break;
  }
  if (chosenRegion === null && fallback !== null) {
    chosenRegion = fallback;
    steps.push({ stage: "region", label: fallback, verdict: "chosen", why: "Every region is at capacity; the model keeps the nearest region with healthy endpoints (the real overflow spreads load in ways Google does not document exactly)." });
  }
  if (chosenRegion === null) {
    const why = "No backend has a HEALTHY endpoint (or every one is drained with capacity scaler 0), so the GFE cannot pick a backend: the load balancer answers 502 itself, logged with statusDetails failed_to_pick_backend.";
    steps.push({ stage: "backend", label: "no backend", verdict: "skipped", why });
    return { backend: null, region: null, target: null, pod: null, failure: { status: 502, statusDetails: "failed_to_pick_backend", why }, hops: [], steps };
  }

  const candidates = service.backends.filter((b) => regionOf(b.zone) === chosenRegion && usable(b));
  const ranked = candidates.map((b) => {
    const c = capacity(b);
    return { b, c, fill: c.value > 0 ? c.used / c.value : Infinity };
  });
  const least = Math.min(...ranked.map((x) => x.fill));
  const tied = ranked.filter((x) => x.fill === least);
  const pick = tied[Math.floor(random() * tied.length)]!;
  for (const x of ranked) {
    steps.push({
      stage: "backend", label: `${x.b.kind === "zonal-neg" ? "NEG" : "instance group"} ${x.b.name}`, verdict: x === pick ? "chosen" : "skipped",
      why: `${x.b.balancingMode}: ${x.c.detail}${x === pick
        ? ranked.length === 1 ? "" : tied.length > 1 ? ` — tied with ${tied.length - 1} other${tied.length > 2 ? "s" : ""} as the least loaded for its capacity; this GFE's draw picked it` : " — the least loaded for its capacity in the region"
        : x.fill === least ? " — as lightly loaded, not drawn this time" : " — more loaded for its capacity"}`,
    });
  }

  const b = pick.b;
  if (b.kind === "zonal-neg") {
    const healthy = b.endpoints.filter((e) => e.health === "HEALTHY");
    const e = healthy[Math.floor(random() * healthy.length)]!;
    steps.push({ stage: "endpoint", label: `${e.ip}:${e.port}`, verdict: "chosen", why: `localityLbPolicy ROUND_ROBIN among the ${healthy.length} HEALTHY endpoints of ${b.name}: ${e.pod} on ${e.node}. The Pod's own address is the endpoint, so no node port and no kube-proxy on the way.` });
    return {
      backend: b, region: chosenRegion, target: { ip: e.ip, port: e.port, name: e.pod }, pod: { pod: e.pod, ip: e.ip, port: e.port, node: e.node }, failure: null,
      hops: [{ from: "GFE", to: `${e.pod} ${e.ip}:${e.port}`, what: "a connection straight to the Pod's IP (VPC-native alias range): one hop, one balancing decision" }],
      steps,
    };
  }
  const nodes = b.instances.filter((i) => i.health === "HEALTHY");
  const node = nodes[Math.floor(random() * nodes.length)]!;
  steps.push({ stage: "endpoint", label: `${node.name} ${node.ip}:${b.namedPort.port}`, verdict: "chosen", why: `ROUND_ROBIN among the ${nodes.length} HEALTHY nodes of ${b.name}, on named port ${b.namedPort.name} (NodePort ${b.namedPort.port})` });
  const pods = b.servicePods;
  if (pods.length === 0) {
    const why = `kube-proxy on ${node.name} has no ready endpoint for the Service: the connection is rejected and the GFE answers 502.`;
    steps.push({ stage: "kube-proxy", label: node.name, verdict: "skipped", why });
    return { backend: b, region: chosenRegion, target: { ip: node.ip, port: b.namedPort.port, name: node.name }, pod: null, failure: { status: 502, statusDetails: "failed_to_pick_backend", why }, hops: [], steps };
  }
  const pod = pods[Math.floor(random() * pods.length)]!;
  const away = pod.node !== node.name;
  steps.push({
    stage: "kube-proxy", label: `${node.name} → ${pod.pod}`, verdict: "chosen",
    why: `kube-proxy's rules on ${node.name} make a second, independent choice among all ${pods.length} ready Pods of the Service (iptables statistic random): ${pod.pod} on ${pod.node}${away ? ", another node — with externalTrafficPolicy: Cluster the node also SNATs, so the Pod sees the node's address" : ", on this node"}. The trace of this leg is the gke-ingress scenario (preset instance-groups).`,
  });
  return {
    backend: b, region: chosenRegion, target: { ip: node.ip, port: b.namedPort.port, name: node.name }, pod, failure: null,
    hops: [
      { from: "GFE", to: `${node.name} ${node.ip}:${b.namedPort.port}`, what: "a connection to the node's NodePort (the instance group's named port)" },
      { from: node.name, to: `${pod.pod} ${pod.ip}:${pod.port}`, what: `kube-proxy DNATs to the Pod it drew${away ? ` on ${pod.node}: one more hop across the VPC, SNAT to the node's address` : " on the same node"}` },
    ],
    steps,
  };
}
