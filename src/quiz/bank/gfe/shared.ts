import { encodeLabInput } from "../../../sim/core/permalink";
import type { LabLink } from "../../engine/types";

/** The lesson the GFE questions belong to, and its tester lab. */
export const LESSON = "maglev-and-the-gfe";
export const LESSON_PAGE = "/lessons/maglev-and-the-gfe/";
export const LAB: LabLink = { page: LESSON_PAGE, lab: "url-map-tester", query: {} };

/**
 * The tester opened on a variant, in its link keys (`src/machines/url-map-tester.machine.ts`): the
 * request, the client, the backends, the GFE's seed, and a URL map or policy of the variant's own as
 * `gcloud … export` YAML, encoded as every lab's pasted input is (`encodeLabInput`).
 */
export function labAt(state: {
  readonly url?: string;
  readonly host?: string;
  readonly headers?: string;
  readonly ip?: string;
  readonly region?: string;
  readonly rate?: string;
  readonly kind?: "neg" | "instance-group";
  readonly health?: readonly string[];
  readonly seed?: number;
  readonly urlMapYaml?: string;
  readonly policyYaml?: string;
}): LabLink {
  const query: Record<string, string> = {};
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) query[`url-map-tester.${key}`] = value;
  };
  set("url", state.url);
  set("host", state.host);
  set("headers", state.headers);
  set("ip", state.ip);
  set("region", state.region);
  set("rate", state.rate);
  set("kind", state.kind);
  set("health", state.health?.join(","));
  set("seed", state.seed === undefined ? undefined : String(state.seed));
  set("map", state.urlMapYaml === undefined ? undefined : encodeLabInput(state.urlMapYaml));
  set("policy", state.policyYaml === undefined ? undefined : encodeLabInput(state.policyYaml));
  return { ...LAB, query };
}

/** A plain scalar where YAML allows one, else a double-quoted (JSON) string. */
function scalar(value: unknown): string {
  if (typeof value !== "string") return String(value);
  return /^[A-Za-z0-9_./(][A-Za-z0-9_./:() -]*$/.test(value) && !/: |:$| $/.test(value) ? value : JSON.stringify(value);
}

/**
 * A resource as `gcloud … export` prints it: block mappings and sequences, keys in the order given.
 * (The quiz layer may not import the YAML package; the exhibits need only plain data.)
 */
export function exportYaml(value: unknown, indent = ""): string {
  if (Array.isArray(value)) {
    return value.map((item) => {
      const body = exportYaml(item, `${indent}  `);
      return typeof item === "object" && item !== null ? `${indent}- ${body.slice(indent.length + 2)}` : `${indent}- ${scalar(item)}\n`;
    }).join("");
  }
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).map(([k, v]) =>
      typeof v === "object" && v !== null
        ? `${indent}${k}:\n${exportYaml(v, Array.isArray(v) ? indent : `${indent}  `)}`
        : `${indent}${k}: ${scalar(v)}\n`).join("");
  }
  return `${indent}${scalar(value)}\n`;
}
