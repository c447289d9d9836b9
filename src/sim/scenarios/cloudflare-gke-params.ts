import { parseHostName } from "../net/dns-name";
import type { ParamSpec } from "./scenario";

/**
 * The flagship's parameters: what a lab's controls and a question's variants may change. Values are
 * the contract permalinks and saved progress rely on: add values, never rename one.
 */
export const CLOUDFLARE_GKE_PARAMS: readonly ParamSpec[] = [
  {
    key: "city",
    label: "User's city",
    description: "Where the browser is. Both anycast decisions follow from it.",
    values: [
      { value: "paris", label: "Paris" },
      { value: "tokyo", label: "Tokyo" },
      { value: "sao-paulo", label: "São Paulo" },
      { value: "new-york", label: "New York" },
    ],
    default: "paris",
  },
  {
    key: "cloudflare",
    label: "Cloudflare proxy",
    description:
      "On: the DNS record is proxied (orange cloud). Off: DNS points straight at Google's address. Bypassed: the record " +
      "is proxied, but a client that knows the load balancer's address connects to it directly.",
    values: [
      { value: "on", label: "On (proxied)" },
      { value: "off", label: "Off (direct to Google)" },
      { value: "bypassed", label: "On, but bypassed (direct to 34.98.10.5)" },
    ],
    default: "on",
  },
  {
    key: "cache-rule",
    label: "Cloudflare Cache Rule",
    description:
      "None: Cloudflare caches by file extension and / is not eligible, so it is DYNAMIC whatever Cache-Control says. " +
      "Cache Everything: a Cache Rule makes it eligible, and the origin's Cache-Control sets how long it is kept.",
    values: [
      { value: "none", label: "None (default caching)" },
      { value: "cache-everything", label: "Eligible for cache (Cache Everything)" },
    ],
    default: "none",
  },
  {
    key: "cache",
    label: "Cloudflare cache",
    description: "What this Cloudflare site holds for the URL. Only matters when a Cache Rule makes the page eligible.",
    values: [
      { value: "miss", label: "Nothing stored (MISS)" },
      { value: "hit", label: "A fresh copy (HIT)" },
      { value: "expired", label: "An expired copy (EXPIRED)" },
    ],
    default: "miss",
  },
  {
    key: "host",
    label: "Host",
    description:
      "The name in the URL (sent as SNI and as the Host header). Any DNS name; only www.example.com has a rule in the " +
      "URL map, and each certificate covers only the names it lists.",
    values: [
      { value: "www.example.com", label: "www.example.com (routed)" },
      { value: "api.example.com", label: "api.example.com (no URL-map rule)" },
    ],
    default: "www.example.com",
    free: { parse: parseHostName, hint: "any host name, e.g. shop.example.com" },
  },
  {
    key: "pod-health",
    label: "Pod health",
    description: "Health-check results for the NEG's endpoints.",
    values: [
      { value: "all-healthy", label: "All healthy" },
      { value: "target-unhealthy", label: "10.4.1.5 failing" },
      { value: "all-unhealthy", label: "All failing" },
    ],
    default: "all-healthy",
  },
  {
    key: "region",
    label: "Backend region",
    description: "Where the GKE cluster runs.",
    values: [
      { value: "us-central1", label: "us-central1 (Iowa)" },
      { value: "europe-west1", label: "europe-west1 (Belgium)" },
      { value: "asia-northeast1", label: "asia-northeast1 (Tokyo)" },
    ],
    default: "us-central1",
  },
  {
    key: "origin-cert",
    label: "Load balancer's certificate",
    description: "The certificate the load balancer presents. Only the last one fails behind the orange cloud.",
    values: [
      { value: "certificate-manager", label: "Certificate Manager, DNS authorization" },
      { value: "origin-ca", label: "Cloudflare Origin CA certificate" },
      { value: "managed-issued-dns-only", label: "ManagedCertificate issued while DNS only" },
      { value: "managed-proxied", label: "ManagedCertificate created while proxied (FAILED_NOT_VISIBLE)" },
    ],
    default: "certificate-manager",
  },
  {
    key: "origin-protection",
    label: "Origin protection",
    description: "What stops a client reaching the load balancer without going through Cloudflare.",
    values: [
      { value: "none", label: "None" },
      { value: "cloud-armor", label: "Cloud Armor allow-list of Cloudflare's ranges" },
      { value: "mtls", label: "Authenticated origin pulls (mTLS at the load balancer)" },
    ],
    default: "none",
  },
  {
    key: "connections",
    label: "Connections",
    description: "Warm: every connection on the way is already open and reused. Cold: each is opened for this request.",
    values: [
      { value: "warm", label: "Warm (reused)" },
      { value: "cold", label: "Cold start" },
    ],
    default: "warm",
  },
];
