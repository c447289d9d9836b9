import { computeTrace } from "../../../sim/scenarios/index";
import { readJourneyTls } from "../../../sim/tls/handshake/journey-tls";
import type { JourneyTls } from "../../../sim/tls/handshake/types";
import type { Exhibit, LabLink } from "../../engine/types";

/** The handshake questions' lesson, and the lab that shows each variant. */
export const LESSON = "two-tls-terminations";
export const LAB_ID = "tls";
const PAGE = `/lessons/${LESSON}/`;

/** The flagship's defaults for the settings the handshake lab reads: links carry only what differs. */
const DEFAULTS: Readonly<Record<string, string>> = {
  cloudflare: "on", host: "www.example.com", "origin-cert": "certificate-manager", "origin-protection": "none", connections: "warm",
};

/** A link to the handshake lab on a variant's flagship settings, at a session and message when given. */
export function handshakeLab(params: Readonly<Record<string, string>>, hop: string | null = null, step: string | null = null): LabLink {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (k in DEFAULTS && DEFAULTS[k] !== v) query[`scenario.${k}`] = v;
  if (hop) query[`${LAB_ID}.hop`] = hop;
  if (step) query[`${LAB_ID}.step`] = step;
  return { page: PAGE, lab: LAB_ID, query };
}

const remembered = new Map<string, JourneyTls>();

/** The journey's TLS sessions for flagship settings (under a flagship wrong model when named), computed once per process. */
export function journeyFor(params: Readonly<Record<string, string>>, model: string | null = null): JourneyTls {
  const key = `${model ?? ""}|${Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join("&")}`;
  let j = remembered.get(key);
  if (!j) remembered.set(key, (j = readJourneyTls(computeTrace("cloudflare-gke", params, 0, model))));
  return j;
}

const LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  cloudflare: { on: "Proxied (orange cloud)", off: "DNS only", bypassed: "Proxied, but the client connects to 34.98.10.5 directly" },
  "origin-cert": {
    "certificate-manager": "Certificate Manager (example.com, *.example.com)",
    "origin-ca": "Cloudflare Origin CA (*.example.com, example.com)",
    "managed-issued-dns-only": "ManagedCertificate issued while DNS only (www, api)",
    "managed-proxied": "ManagedCertificate created while proxied (never issued)",
  },
  "origin-protection": { none: "None", "cloud-armor": "Cloud Armor allow-list of Cloudflare's ranges", mtls: "Authenticated origin pulls (mTLS)" },
  connections: { warm: "Warm (reused)", cold: "Cold start" },
};
const NAMES: Readonly<Record<string, string>> = {
  cloudflare: "Cloudflare proxy", host: "Host", "origin-cert": "Load balancer's certificate", "origin-protection": "Origin protection", connections: "Connections",
};

/** The settings exhibit: each flagship setting the variant fixes, with the flagship's wording. */
export function settingsExhibit(params: Readonly<Record<string, string>>): Exhibit {
  return {
    kind: "settings",
    chips: Object.entries(params).filter(([k]) => k in NAMES).map(([key, value]) => ({ key, label: NAMES[key]!, value: LABELS[key]?.[value] ?? value })),
  };
}

/** The settings in a sentence, for prompts. */
export function settingsText(params: Readonly<Record<string, string>>): string {
  return Object.entries(params).filter(([k]) => k in NAMES).map(([k, v]) => `${NAMES[k]!.toLowerCase()}: ${LABELS[k]?.[v] ?? v}`).join("; ");
}
