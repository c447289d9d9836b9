import type { Hop, Trace } from "../sim/index";

/**
 * Devices people put on this path that are not on it — each a misconception about how GCP, GKE or
 * Cloudflare work — named the way the trace names real devices: for this variant's region, node and
 * addresses, so that a decoy cannot be told from a real hop by its style. Whether a device is on the
 * path is never decided here: the key is the trace; these are only the wrong options and why.
 */
export interface Decoy {
  /** Option id: stable for a variant, never shown. */
  readonly id: string;
  readonly name: string;
  /** One sentence: why it is not on the path. */
  readonly why: string;
  /** The step of the trace that shows what happens instead (core-trace step id). */
  readonly step: string;
}

/** Option ids of decoys start with this, so they never collide with a device id of the trace. */
export const DECOY_PREFIX = "decoy-";

const requestHop = (trace: Trace, device: string): Hop | undefined =>
  trace.hops.find((h) => h.direction === "request" && h.device.id === device);

/** "gke-web-pool-1c (10.128.0.14, us-central1-c)" from the trace's node. */
function nodeLabel(node: Hop): string {
  return node.device.name.replace(/^GKE node /, "");
}

function ipv4Destination(hop: Hop | undefined): string | null {
  const ip = hop?.in?.layers.find((l) => l.kind === "ipv4");
  return ip?.kind === "ipv4" ? ip.dst : null;
}

/**
 * The decoys for a variant. `full` is the variant's trace along the whole path (Cloudflare on, the
 * request reaching a Pod), from which the decoys take the node's name and the load balancer's address;
 * `trace` is the variant's own, from which they take the Pod the health checks fail.
 */
export function decoysFor(params: Readonly<Record<string, string>>, full: Trace, trace: Trace): Decoy[] {
  const region = params.region!;
  const node = requestHop(full, "node");
  const vip = ipv4Destination(requestHop(full, "google-router"));
  if (!node || !vip) throw new Error("the full path has no node or no Google edge router to name decoys after");
  const decoys: Decoy[] = [
    {
      id: `${DECOY_PREFIX}lb-appliance`,
      name: `Regional load-balancer appliance for ${vip} (${region})`,
      why:
        `There is no load-balancer box in ${region}: the forwarding rule for ${vip}, the URL map and the backend service ` +
        "are carried out by the Maglevs and GFEs of the Google edge site the packet reached.",
      step: "request:gfe",
    },
    {
      id: `${DECOY_PREFIX}kube-proxy`,
      name: `kube-proxy DNAT rules on ${nodeLabel(node)}`,
      why:
        "With container-native load balancing the NEG lists Pod IPs, so the packet reaching the node is already addressed to the Pod: " +
        "no Service rule matches and nothing is DNATed.",
      step: "request:node",
    },
    {
      id: `${DECOY_PREFIX}nodeport`,
      name: `NodePort on ${nodeLabel(node)}`,
      why:
        "A NodePort belongs to the older instance-group path (GFE → any node's NodePort → DNAT to a Pod); " +
        "with a NEG the GFE connects to the Pod's own IP and no NodePort is involved.",
      step: "request:gfe",
    },
    {
      id: `${DECOY_PREFIX}cloud-nat`,
      name: `Cloud NAT gateway for the cluster's subnet (${region})`,
      why:
        "Cloud NAT only translates connections that Pods and VMs open towards the internet; " +
        "an inbound request arrives through the load balancer and never passes it.",
      step: "request:backbone",
    },
  ];
  // A Pod the health checks fail is one the GFE skips: offered only in variants that fail one.
  const choice = requestHop(trace, "gfe")?.events.find((e) => e.type === "lb-select");
  if (choice?.type === "lb-select" && choice.chosen) {
    for (const candidate of choice.candidates) {
      const pod = /^(\S+) on \S+,.*failing health checks$/.exec(candidate.detail)?.[1];
      if (!pod) continue;
      decoys.push({
        id: `${DECOY_PREFIX}failing-pod`,
        name: `Pod ${pod} (${candidate.id.split(":")[0]})`,
        why: "This Pod is failing its health checks, so the GFE leaves it out when it picks an endpoint from the NEG.",
        step: "request:gfe",
      });
      break;
    }
  }
  return decoys;
}
