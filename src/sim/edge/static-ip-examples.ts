import { GOOGLE } from "./google-edge";
import type { StaticIpInput } from "./static-ip";

/**
 * The static-IP linter's starting points: the flagship's Ingress (default/web, host
 * www.example.com) with the reserved global address its DNS record points at, and the classic ways
 * of getting it wrong, each a one-line change. Labs offer them as one-click variants, questions draw
 * them, and the tests lint them.
 */

export function ingressYaml(annotations: readonly string[], opts: { name?: string; extra?: string } = {}): string {
  const name = opts.name ?? "web";
  return [
    "apiVersion: networking.k8s.io/v1",
    "kind: Ingress",
    "metadata:",
    `  name: ${name}`,
    "  namespace: default",
    ...(annotations.length ? ["  annotations:", ...annotations.map((a) => `    ${a}`)] : []),
    "spec:",
    "  rules:",
    "  - host: www.example.com",
    "    http:",
    "      paths:",
    "      - path: /",
    "        pathType: Prefix",
    "        backend:",
    "          service:",
    "            name: web",
    "            port:",
    "              number: 80",
    ...(opts.extra ? [opts.extra] : []),
  ].join("\n") + "\n";
}

const GLOBAL_TF = [
  'resource "google_compute_global_address" "ingress_ip" {',
  '  name = "web-ingress-ip"',
  "}",
  "",
  "# The address Terraform reserved, for the DNS record.",
  'output "ingress_ip" {',
  "  value = google_compute_global_address.ingress_ip.address",
  "}",
].join("\n") + "\n";

const GLOBAL_TF_WITH_ADDRESS = [
  'resource "google_compute_global_address" "ingress_ip" {',
  '  name         = "web-ingress-ip"',
  '  address_type = "EXTERNAL"',
  `  address      = "${GOOGLE.vip}" # optional: Google picks one if left out`,
  "",
  "  lifecycle {",
  "    prevent_destroy = true # a terraform destroy would release the address the DNS points at",
  "  }",
  "}",
].join("\n") + "\n";

const REGIONAL_TF = [
  'resource "google_compute_address" "ingress_ip" {',
  '  name   = "web-ingress-ip"',
  '  region = "us-central1"',
  "}",
].join("\n") + "\n";

const INTERNAL_TF = [
  'resource "google_compute_address" "internal_ip" {',
  '  name         = "web-internal-ip"',
  '  region       = "us-central1"',
  '  address_type = "INTERNAL"',
  '  subnetwork   = "gke-nodes"',
  "}",
].join("\n") + "\n";

export interface StaticIpPreset {
  readonly id: string;
  readonly label: string;
  /** What is wrong (or right), in a few words for the button's description. */
  readonly summary: string;
  readonly input: StaticIpInput;
}

/** Presets, the working one first. Ids are part of the lab's URL contract: add, never rename. */
export const STATIC_IP_PRESETS: readonly StaticIpPreset[] = [
  {
    id: "working", label: "Working", summary: "The annotation names the reserved global address",
    input: { ingressYaml: ingressYaml(['kubernetes.io/ingress.global-static-ip-name: "web-ingress-ip"']), terraform: GLOBAL_TF_WITH_ADDRESS },
  },
  {
    id: "no-annotation", label: "No annotation", summary: "The load balancer gets an ephemeral address",
    input: { ingressYaml: ingressYaml([]), terraform: GLOBAL_TF },
  },
  {
    id: "terraform-label", label: "Terraform label", summary: "The annotation names the resource's label, ingress_ip",
    input: { ingressYaml: ingressYaml(['kubernetes.io/ingress.global-static-ip-name: "ingress_ip"']), terraform: GLOBAL_TF },
  },
  {
    id: "typo", label: "Typo", summary: "A misspelt name that matches no address",
    input: { ingressYaml: ingressYaml(['kubernetes.io/ingress.global-static-ip-name: "web-ingres-ip"']), terraform: GLOBAL_TF },
  },
  {
    id: "regional", label: "Regional address", summary: "google_compute_address (regional) for an external Ingress",
    input: { ingressYaml: ingressYaml(['kubernetes.io/ingress.global-static-ip-name: "web-ingress-ip"']), terraform: REGIONAL_TF },
  },
  {
    id: "internal-global-annotation", label: "Internal, global annotation", summary: "A gce-internal Ingress using the global annotation",
    input: {
      ingressYaml: ingressYaml(['kubernetes.io/ingress.class: "gce-internal"', 'kubernetes.io/ingress.global-static-ip-name: "web-internal-ip"']),
      terraform: INTERNAL_TF,
    },
  },
  {
    id: "internal", label: "Internal, right", summary: "gce-internal with the regional annotation and an INTERNAL address",
    input: {
      ingressYaml: ingressYaml(['kubernetes.io/ingress.class: "gce-internal"', 'kubernetes.io/ingress.regional-static-ip-name: "web-internal-ip"']),
      terraform: INTERNAL_TF,
    },
  },
  {
    id: "shared", label: "Two Ingresses, one address", summary: "A second Ingress names the address the first one holds",
    input: {
      ingressYaml: `${ingressYaml(['kubernetes.io/ingress.global-static-ip-name: "web-ingress-ip"'])}---\n${ingressYaml(['kubernetes.io/ingress.global-static-ip-name: "web-ingress-ip"'], { name: "web-canary" })}`,
      terraform: GLOBAL_TF,
    },
  },
];

export function staticIpPreset(id: string): StaticIpPreset | undefined {
  return STATIC_IP_PRESETS.find((p) => p.id === id);
}
