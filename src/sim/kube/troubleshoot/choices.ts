/**
 * The faults a learner may name, kept apart from the model so a page can show them before the
 * simulator loads. The fault families come first; app-404, firewall, dns-down and app-slow are what the
 * wrong models of diagnose.ts name.
 */
import type { FaultFamily } from "./cases";

export type FaultChoice = FaultFamily | "app-404" | "firewall" | "dns-down" | "app-slow";

export const FAULT_CHOICES: Readonly<Record<FaultChoice, string>> = {
  "selector-mismatch": "The Service's selector matches no Pod",
  "not-ready": "The Pods are failing their readiness check",
  "target-port": "The Service's targetPort is not a port the Pods listen on",
  "no-local-endpoint": "externalTrafficPolicy: Local, and the node the traffic reached has no local endpoint",
  "host-typo": "The Ingress host rule does not match the Host clients send",
  "app-404": "The application has no handler for the path",
  firewall: "A VPC firewall rule drops the traffic before it reaches the node",
  "dns-policy": "A NetworkPolicy's egress rules leave out DNS (UDP and TCP 53 to kube-dns)",
  "mtu-black-hole": "Full-size packets are dropped on a narrower link and the ICMP \"fragmentation needed\" never comes back",
  "dns-down": "The cluster DNS (kube-dns) is down",
  "app-slow": "The server is too slow to take large requests",
};
