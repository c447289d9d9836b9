/** Words the ACME lab shows for its settings (kept apart so the island stays a renderer). */
import type { ChallengeType } from "../../sim/tls/acme/challenge";

export const CHALLENGE_LABELS: Record<ChallengeType, string> = {
  "http-01": "http-01 (a file on port 80)",
  "dns-01": "dns-01 (a TXT record)",
};

export const STEP_LABELS: Record<string, string> = {
  order: "Order and challenge",
  hijack: "The attacker's BGP announcement",
  takeover: "The attacker claims the app name",
  mailbox: "The attacker's mailbox",
  lookup: "DNS lookup",
  fetch: "HTTP request",
  redirect: "Redirect followed",
  compare: "Comparison",
  mpic: "Remote perspectives",
  caa: "CAA check",
  issue: "Issuance and CT",
  detect: "Detection in CT logs",
};
