import type { Misconception } from "../misconceptions";

/**
 * Wrong models of domains, DNS and the static-IP annotation the grader recognises. Each id is a mode
 * of its simulator: `resolveDnsChain(input, id)` (src/sim/edge/dns-chain.ts, `DNS_MODELS`) or
 * `lintStaticIp(input, id)` (src/sim/edge/static-ip.ts, `STATIC_IP_MODELS`).
 */
export const DNS_MISCONCEPTIONS: readonly Misconception[] = [
  {
    id: "registrar-answers-queries",
    name: "The registrar answers DNS queries",
    belief: "When a browser looks the name up, the .com servers send the resolver to the registrar, which says where the domain's DNS lives.",
    whyWrong:
      "The registrar's part is over before any lookup: it sent the nameserver names to the .com registry, which publishes them as NS records (with glue) in the com zone. The .com servers' referral points straight at those nameservers; no registrar server is asked.",
  },
  {
    id: "proxied-hides-origin",
    name: "A proxied record makes the origin unreachable",
    belief: "Once the record is proxied, nobody can reach the load balancer except through Cloudflare.",
    whyWrong:
      "Proxying changes only what DNS answers. The load balancer's address still accepts connections from anyone who learns it — from an old record, a certificate log or a scan — until it is restricted to Cloudflare with a Cloud Armor allow-list or authenticated origin pulls.",
  },
  {
    id: "annotation-takes-terraform-label",
    name: "The annotation names the Terraform resource",
    belief: "kubernetes.io/ingress.global-static-ip-name must equal the Terraform resource's label, the second string after resource.",
    whyWrong:
      "The controller looks the value up as a Compute Engine address, which knows only the name argument. The label (ingress_ip in resource \"google_compute_global_address\" \"ingress_ip\") exists only inside Terraform.",
  },
  {
    id: "unmatched-name-goes-ephemeral",
    name: "A wrong address name falls back to an ephemeral address",
    belief: "If the annotation names no reserved address, the load balancer just gets an ephemeral one instead.",
    whyWrong:
      "ingress-gce fails the sync with \"the given static IP name … doesn't translate to an existing static IP\", records a Warning event and retries. A new Ingress gets no forwarding rule and no address until the name exists; only an Ingress without the annotation gets an ephemeral address.",
  },
];
