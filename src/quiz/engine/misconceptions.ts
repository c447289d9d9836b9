/**
 * The classic wrong mental models the interview engine recognises. Each id is also the name of a
 * wrong model the simulator can run (`CoreScenario.models`, or the flagship's `FLAGSHIP_MODELS`), so
 * an answer a model predicts is computed from a trace, not typed. When a learner's answer equals the
 * answer a model gives, the grader names the misconception and says why it is wrong.
 */
export interface Misconception {
  readonly id: string;
  /** Short, as a heading: "TLS ends at the Pod". */
  readonly name: string;
  /** What someone holding it believes, in their words. */
  readonly belief: string;
  /** Why the real system does otherwise, in ours. */
  readonly whyWrong: string;
}

/**
 * The internet edge's wrong models, one file per system (each id a mode of that system's simulator).
 */
import { BGP_MISCONCEPTIONS } from "./misconceptions/bgp";
import { RPKI_MISCONCEPTIONS } from "./misconceptions/rpki";
import { MAGLEV_MISCONCEPTIONS } from "./misconceptions/maglev";
import { GFE_MISCONCEPTIONS } from "./misconceptions/gfe";
import { DNS_MISCONCEPTIONS } from "./misconceptions/dns";
import { X509_MISCONCEPTIONS } from "./misconceptions/x509";
import { ACME_MISCONCEPTIONS } from "./misconceptions/acme";
import { SSL_MODES_MISCONCEPTIONS } from "./misconceptions/ssl-modes";
import { HANDSHAKE_MISCONCEPTIONS } from "./misconceptions/handshake";
import { L7_ROUTING_MISCONCEPTIONS } from "./misconceptions/l7-routing";
import { CLUSTER_DNS_MISCONCEPTIONS } from "./misconceptions/cluster-dns";
import { NETWORK_POLICY_MISCONCEPTIONS } from "./misconceptions/network-policy";
import { POD_NETWORK_MISCONCEPTIONS } from "./misconceptions/pod-network";
import { TROUBLESHOOT_MISCONCEPTIONS } from "./misconceptions/troubleshoot";
import { EGRESS_MISCONCEPTIONS } from "./misconceptions/egress";

export const MISCONCEPTIONS: Readonly<Record<string, Misconception>> = Object.fromEntries(
  (
    [
      {
        id: "tls-at-pod",
        name: "TLS ends at the Pod",
        belief: "The browser's encrypted session runs all the way to the Pod; everything in between forwards ciphertext.",
        whyWrong:
          "TLS ends at every proxy that has to read HTTP: at Cloudflare's edge when the site is proxied, and again at the GFE, which must see the Host and path to apply the URL map. Each opens a new connection onwards; the Pod talks only to the GFE.",
      },
      {
        id: "separate-lb-box",
        name: "The load balancer is a box of its own",
        belief: "Google's load balancer is an appliance in front of the cluster, one more hop between Google's edge and the nodes.",
        whyWrong:
          "The external Application Load Balancer is Google's edge itself: its address is announced from every edge site, routers spread flows over Maglevs by ECMP, Maglev hashes each flow to a GFE, and the GFE — the proxy that terminates TLS and picks the Pod — is the load balancer.",
      },
      {
        id: "kube-proxy-on-neg-path",
        name: "kube-proxy is on the NEG path",
        belief: "Whatever the load balancer does, the node's kube-proxy rules DNAT the packet to a Pod.",
        whyWrong:
          "With container-native load balancing the GFE sends to the Pod's own address, a NEG endpoint. The node routes it to the Pod's veth unchanged: kube-proxy's rules match only Service addresses and node ports, and this packet is addressed to neither.",
      },
      {
        id: "reply-retraces-all",
        name: "The reply retraces every hop",
        belief: "The response goes back through every device the request crossed, Maglev and Unimog included.",
        whyWrong:
          "Only devices that own a connection must see the reply: the proxies (GFE, Cloudflare's edge) and the routers on the way. The L4 balancers forward requests only; the proxy behind them answers straight to the router (direct server return).",
      },
      {
        id: "cloud-nat-inbound",
        name: "Cloud NAT handles inbound traffic",
        belief: "Cloud NAT translates the load balancer's incoming connections on their way to the private nodes.",
        whyWrong:
          "Cloud NAT only translates connections that instances without external addresses open outwards, and it never accepts an inbound connection. Inbound traffic reaches private nodes through the load balancer's proxies, from Google's proxy ranges.",
      },
      {
        id: "encap-free",
        name: "Encapsulation costs no bytes",
        belief: "Wrapping a packet in a tunnel is free: the packet keeps its size and the path keeps its MTU.",
        whyWrong:
          "Every encapsulation adds an outer header — an outer IP header plus GRE, GUE, Geneve or VXLAN — so the packet grows by that many bytes on the wire and the largest inner packet that fits shrinks by as much.",
      },
      {
        id: "nodeport-keeps-client",
        name: "A NodePort keeps the client's address",
        belief: "A packet that arrives at a NodePort reaches the Pod with the client's own source address.",
        whyWrong:
          "With externalTrafficPolicy: Cluster the packet may be sent to a Pod on another node, so kube-proxy masquerades it to the node's address; the reply then returns through that node, where conntrack undoes the DNAT. Only externalTrafficPolicy: Local keeps the client's address, at the price of using local endpoints only.",
      },
      {
        id: "no-conntrack",
        name: "Replies find their way back by address alone",
        belief: "Nothing remembers a translation: the reply is routed back by its addresses and arrives as sent.",
        whyWrong:
          "The reply leaves the Pod from the Pod's address, which the client never connected to. Conntrack recorded the DNAT (and any masquerade) on the first packet and reverses it on every reply, so the client sees the Service address it called.",
      },
      ...BGP_MISCONCEPTIONS,
      ...RPKI_MISCONCEPTIONS,
      ...MAGLEV_MISCONCEPTIONS,
      ...GFE_MISCONCEPTIONS,
      ...DNS_MISCONCEPTIONS,
      ...X509_MISCONCEPTIONS,
      ...ACME_MISCONCEPTIONS,
      ...SSL_MODES_MISCONCEPTIONS,
      ...HANDSHAKE_MISCONCEPTIONS,
      ...L7_ROUTING_MISCONCEPTIONS,
      ...CLUSTER_DNS_MISCONCEPTIONS,
      ...NETWORK_POLICY_MISCONCEPTIONS,
      ...POD_NETWORK_MISCONCEPTIONS,
      ...TROUBLESHOOT_MISCONCEPTIONS,
      ...EGRESS_MISCONCEPTIONS,
    ] satisfies Misconception[]
  ).map((m) => [m.id, m]),
);

/** @throws Error for an id that is not in the catalogue (a template bug, caught by the bank's tests) */
export function misconception(id: string): Misconception {
  const found = MISCONCEPTIONS[id];
  if (!found) throw new Error(`unknown misconception "${id}"; there is ${Object.keys(MISCONCEPTIONS).join(", ")}`);
  return found;
}
