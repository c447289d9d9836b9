/**
 * The flagship's named wrong models: the classic mistaken pictures of the journey, each of which the
 * stage functions can run (`computeTrace("cloudflare-gke", params, seed, model)`). The interview engine
 * runs a variant under a model to compute the answer someone holding that belief would give, and
 * names the misconception when a learner's answer matches it. Ids are those of `MISCONCEPTIONS`
 * (`quiz/engine/misconceptions.ts`).
 *
 * Each model changes only what its belief changes; everything else (anycast, Maglev's hash, which Pod
 * is healthy, the ephemeral ports) is computed exactly as in the real journey, so a model's trace and
 * the real one differ precisely where the belief does.
 *
 * - `tls-at-pod`: no proxy terminates TLS. The browser's session runs to the Pod, which presents the
 *   load balancer's certificate and decrypts the request. Cloudflare's edge and the GFE relay ciphertext
 *   on TCP connections of their own, so they cannot read Host or path: Cloudflare runs no WAF rule and
 *   never looks in (or writes to) its cache — every request is pulled from the origin — and the GFE
 *   cannot apply the URL map, so every request goes to the one backend service, whatever its host.
 *   The model does not judge certificates (it has no proxy to reject one). Where the GFE must answer
 *   itself (no healthy Pod, a Cloud Armor block) it still does, on a session it holds no keys for:
 *   the belief has no answer for that, which is one way to see why it cannot be right.
 * - `separate-lb-box`: after the GFE, a load-balancer appliance in the cluster's region receives the
 *   request on an address of its own, checks the Pods' health, picks one and DNATs to it; the reply
 *   goes back through it to be translated back.
 * - `kube-proxy-on-neg-path`: the GFE sends to a node's NodePort and the node's kube-proxy rules DNAT
 *   the packet to the Pod (the node's own, as with externalTrafficPolicy: Local); the reply is
 *   translated back at the node.
 * - `reply-retraces-all`: the response goes back through every device the request crossed, in
 *   reverse — Maglev and Unimog included.
 * - `cloud-nat-inbound`: a Cloud NAT gateway in the cluster's region translates the GFE's connection
 *   on its way into the VPC, so the node and the Pod see the gateway's address as the source.
 * - `encap-free`: tunnels add no bytes. The trace's packets are the real ones; `wireBytes` under this
 *   model counts every encapsulating header as 0 (`edge/wire-bytes.ts`).
 */
export const FLAGSHIP_MODELS = {
  "tls-at-pod": "The browser's TLS session runs all the way to the Pod; Cloudflare's edge and the GFE relay ciphertext they cannot read.",
  "separate-lb-box": "A load-balancer appliance between Google's edge and the nodes picks the Pod and DNATs the request to it.",
  "kube-proxy-on-neg-path": "The GFE sends to a node port, and the node's kube-proxy rules DNAT the packet to the Pod.",
  "reply-retraces-all": "The response goes back through every device the request crossed, Maglev and Unimog included.",
  "cloud-nat-inbound": "A Cloud NAT gateway translates the GFE's connection on its way into the VPC.",
  "encap-free": "Encapsulation adds no bytes: a tunnelled packet is as long as the packet inside it.",
} as const satisfies Readonly<Record<string, string>>;

export type FlagshipModel = keyof typeof FLAGSHIP_MODELS;

export function isFlagshipModel(name: string): name is FlagshipModel {
  return Object.prototype.hasOwnProperty.call(FLAGSHIP_MODELS, name);
}
