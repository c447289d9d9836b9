import { editDistance } from "../net/edit-distance";
import { isMap, isPair, isScalar, LineCounter, parseAllDocuments, type Document, type Pair } from "yaml";
import { HclError, parseHcl, type HclBlock, type HclValue } from "./static-ip-hcl";

/**
 * The static-IP linter: an Ingress (GKE's ingress-gce controller) and the Terraform that reserves
 * its address, read together. It answers what the controller will do with the Ingress's address
 * annotation, following ingress-gce's own code:
 *
 * - `annotations.StaticIPName()` takes `kubernetes.io/ingress.regional-static-ip-name` if set, else
 *   `kubernetes.io/ingress.global-static-ip-name`; both at once is an error.
 * - `L7.getEffectiveIP()` looks that name up as a Compute Engine address in the load balancer's
 *   scope — global for the external Application Load Balancer (class `gce` or none), regional for
 *   `gce-internal` and `gce-regional-external` — and, when there is none, fails the sync with "the
 *   given static IP name NAME doesn't translate to an existing static IP." The controller records
 *   that as a Warning event (reason Sync, "Error syncing to GCP: …") and retries; it does not fall
 *   back to an ephemeral address, so a new Ingress gets no forwarding rule and no address.
 * - Without the annotation the forwarding rule is created with an ephemeral address, which
 *   `L7.checkStaticIP()` then reserves under the forwarding rule's name and records in the
 *   `ingress.kubernetes.io/static-ip` annotation. It survives edits to the Ingress, but the
 *   controller releases it when the Ingress is deleted: recreate the Ingress and the address changes.
 * - Two Ingresses naming the same address: Compute Engine refuses the second forwarding rule (400)
 *   and the controller keeps retrying (ingress-gce's comment in getEffectiveIP).
 *
 * The annotation takes the address's `name` argument — the name Compute Engine knows it by — not
 * the Terraform resource's label (`ingress_ip` in `resource "google_compute_global_address"
 * "ingress_ip"`), which exists only inside Terraform.
 *
 * The linter sees only what is pasted: an address created elsewhere (gcloud, another
 * configuration) would exist though this Terraform does not declare it, and findings say so.
 */

export const GLOBAL_ANNOTATION = "kubernetes.io/ingress.global-static-ip-name";
export const REGIONAL_ANNOTATION = "kubernetes.io/ingress.regional-static-ip-name";
export const CLASS_ANNOTATION = "kubernetes.io/ingress.class";

/** Wrong models the linter can run (`quiz/engine/misconceptions/dns.ts`). */
export const STATIC_IP_MODELS = {
  "annotation-takes-terraform-label":
    "The annotation must equal the Terraform resource's label (the second string after resource), not its name argument.",
  "unmatched-name-goes-ephemeral":
    "If the annotation names no reserved address, the controller quietly gives the load balancer an ephemeral address instead.",
} as const satisfies Readonly<Record<string, string>>;
export type StaticIpModel = keyof typeof STATIC_IP_MODELS;

export function isStaticIpModel(name: string): name is StaticIpModel {
  return Object.prototype.hasOwnProperty.call(STATIC_IP_MODELS, name);
}

export type LoadBalancerKind = "external" | "internal" | "regional-external" | "other-controller";
export type AddressScope = "global" | "regional";

/** What the controller does with the Ingress's address. */
export type IngressOutcome =
  /** The forwarding rules use the reserved address: it outlives the Ingress. */
  | "reserved-address"
  /** An ephemeral address, reserved by the controller for the Ingress's lifetime and released with it. */
  | "ephemeral-address"
  /** The sync fails: the named address does not exist in the load balancer's scope (or cannot be used by it). */
  | "sync-error"
  /** Another Ingress already holds the address: Compute Engine refuses the forwarding rule (400). */
  | "address-conflict"
  /** Both annotations set: the controller refuses to choose. */
  | "annotation-conflict"
  /** The Ingress is for another controller, or the address's name is computed: nothing to say for sure. */
  | "unchecked";

export type FindingCode =
  | "reserved" | "no-annotation" | "no-such-address" | "names-terraform-label" | "wrong-scope"
  | "internal-uses-global-annotation" | "wrong-address-type" | "both-annotations" | "shared-address"
  | "computed-name" | "other-controller" | "unused-address";

export interface Finding {
  readonly code: FindingCode;
  readonly severity: "error" | "warning" | "ok" | "info";
  /** Which text the line number is in. */
  readonly source: "ingress" | "terraform";
  readonly line: number;
  /** The Ingress it is about, when it is about one. */
  readonly ingress: string | null;
  readonly title: string;
  readonly detail: string;
  /** The corrected annotation or Terraform, as text to paste; null when nothing needs fixing. */
  readonly fix: string | null;
}

export interface IngressView {
  readonly name: string;
  readonly namespace: string;
  readonly line: number;
  readonly kind: LoadBalancerKind;
  /** The annotation the controller reads (regional wins), its value and line; null without one. */
  readonly annotation: { readonly key: string; readonly value: string; readonly line: number } | null;
  readonly outcome: IngressOutcome;
  /** What `kubectl get ingress` shows in ADDRESS, in words. */
  readonly address: string;
  /** The Warning event the controller records, when it fails. */
  readonly event: string | null;
}

export interface TerraformAddress {
  readonly resourceType: "google_compute_global_address" | "google_compute_address";
  readonly mode: "resource" | "data";
  readonly label: string;
  readonly line: number;
  readonly scope: AddressScope;
  /** The `name` argument, or null when it is an expression this linter cannot evaluate. */
  readonly name: string | null;
  readonly nameText: string;
  readonly nameLine: number;
  readonly addressType: "EXTERNAL" | "INTERNAL";
  readonly region: string | null;
  /** The `address` argument when it is given literally. */
  readonly address: string | null;
}

export interface FieldError {
  readonly line: number;
  readonly message: string;
}

export interface StaticIpLint {
  readonly ingresses: readonly IngressView[];
  readonly addresses: readonly TerraformAddress[];
  readonly findings: readonly Finding[];
  /** Problems reading either text, each at its line; a text with errors contributes nothing else. */
  readonly errors: { readonly ingress: readonly FieldError[]; readonly terraform: readonly FieldError[] };
  readonly model: StaticIpModel | null;
}

export interface StaticIpInput {
  readonly ingressYaml: string;
  readonly terraform: string;
}

// ————— reading the Ingress —————

interface RawIngress {
  readonly name: string;
  readonly namespace: string;
  readonly line: number;
  readonly annotations: ReadonlyMap<string, { value: string; line: number }>;
}

function readIngresses(text: string): { ingresses: RawIngress[]; errors: FieldError[] } {
  const lineCounter = new LineCounter();
  const errors: FieldError[] = [];
  const ingresses: RawIngress[] = [];
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => lineCounter.linePos(offset ?? 0).line;
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        errors.push({ line: e.linePos?.[0]?.line ?? lineOf(e.pos[0]), message: `YAML syntax error: ${(e.message.split("\n")[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, "")}` });
      }
      continue;
    }
    const root = doc.contents;
    if (root === null) continue;
    if (!isMap(root)) {
      errors.push({ line: lineOf(root.range?.[0]), message: "expected a Kubernetes object: a mapping with apiVersion, kind and metadata" });
      continue;
    }
    const kind = scalarAt(doc, lineCounter, ["kind"]);
    if (kind?.value !== "Ingress") continue;
    const api = scalarAt(doc, lineCounter, ["apiVersion"]);
    if (api && api.value !== "networking.k8s.io/v1") {
      errors.push({ line: api.line, message: `apiVersion ${api.value}: Ingress is served as networking.k8s.io/v1 (the v1beta1 versions were removed in Kubernetes 1.22)` });
      continue;
    }
    const name = scalarAt(doc, lineCounter, ["metadata", "name"]);
    if (!name || name.value === "") {
      errors.push({ line: lineOf(root.range?.[0]), message: "the Ingress has no metadata.name" });
      continue;
    }
    const annotations = new Map<string, { value: string; line: number }>();
    const node = doc.getIn(["metadata", "annotations"], true);
    if (node !== undefined && node !== null) {
      if (!isMap(node)) {
        errors.push({ line: lineOf((node as { range?: [number] }).range?.[0]), message: "metadata.annotations must be a mapping of strings to strings" });
        continue;
      }
      for (const item of node.items as Pair[]) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const key = String(item.key.value);
        const v = item.value;
        if (!isScalar(v) || typeof v.value !== "string") {
          errors.push({ line: lineOf(item.key.range?.[0]), message: `annotation ${key} must be a string: quote the value` });
          continue;
        }
        annotations.set(key, { value: v.value, line: lineOf(item.key.range?.[0]) });
      }
    }
    // Findings about the Ingress as a whole point at its name.
    ingresses.push({ name: name.value, namespace: scalarAt(doc, lineCounter, ["metadata", "namespace"])?.value ?? "default", line: name.line, annotations });
  }
  if (errors.length === 0 && ingresses.length === 0) errors.push({ line: 1, message: "no Ingress here: paste a manifest with kind: Ingress (apiVersion networking.k8s.io/v1)" });
  return { ingresses, errors };
}

function scalarAt(doc: Document, lineCounter: LineCounter, path: string[]): { value: string; line: number } | null {
  const node = doc.getIn(path, true);
  if (!isScalar(node) || node.value === null || node.value === undefined) return null;
  return { value: String(node.value), line: lineCounter.linePos(node.range?.[0] ?? 0).line };
}

// ————— reading the Terraform —————

const ADDRESS_TYPES = ["google_compute_global_address", "google_compute_address"] as const;

function literal(v: HclValue): string | null {
  return v.kind === "string" ? v.value : null;
}
function valueText(v: HclValue): string {
  switch (v.kind) {
    case "string": return JSON.stringify(v.value);
    case "number": return String(v.value);
    case "bool": return String(v.value);
    case "null": return "null";
    case "expression": return v.text;
  }
}

function readAddresses(text: string): { addresses: TerraformAddress[]; errors: FieldError[] } {
  let blocks: HclBlock[];
  try {
    blocks = parseHcl(text);
  } catch (error) {
    if (error instanceof HclError) return { addresses: [], errors: [{ line: error.line, message: error.reason }] };
    throw error;
  }
  const addresses: TerraformAddress[] = [];
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  for (const b of blocks) {
    if (b.type !== "resource" && b.type !== "data") continue;
    const type = b.labels[0];
    if (!ADDRESS_TYPES.includes(type as (typeof ADDRESS_TYPES)[number])) continue;
    if (b.labels.length !== 2) {
      errors.push({ line: b.line, message: `${b.type} "${type}" needs two labels: the type and a local name, e.g. ${b.type} "${type}" "ingress_ip" {` });
      continue;
    }
    const label = b.labels[1]!;
    const key = `${b.type}.${type}.${label}`;
    if (seen.has(key)) {
      errors.push({ line: b.line, message: `${type}.${label} is declared twice (first on line ${seen.get(key)}); each resource needs its own label` });
      continue;
    }
    seen.set(key, b.line);
    const attr = (n: string) => b.attributes.find((a) => a.name === n);
    const name = attr("name");
    if (!name) {
      errors.push({ line: b.line, message: `${type}.${label} has no name argument; Compute Engine needs one, and it is what the Ingress annotation names` });
      continue;
    }
    const nameValue = literal(name.value);
    if (nameValue !== null && !/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(nameValue)) {
      errors.push({ line: name.line, message: `name "${nameValue}": Compute Engine names are 1–63 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen` });
      continue;
    }
    const typeAttr = attr("address_type");
    const addressType = typeAttr ? literal(typeAttr.value) : "EXTERNAL";
    if (addressType !== "EXTERNAL" && addressType !== "INTERNAL" && typeAttr?.value.kind !== "expression") {
      errors.push({ line: typeAttr!.line, message: `address_type ${valueText(typeAttr!.value)}: the values are "EXTERNAL" (the default) and "INTERNAL"` });
      continue;
    }
    const region = attr("region");
    if (type === "google_compute_global_address" && region) {
      errors.push({ line: region.line, message: "google_compute_global_address has no region argument: a global address belongs to no region (use google_compute_address for a regional one)" });
      continue;
    }
    addresses.push({
      resourceType: type as TerraformAddress["resourceType"], mode: b.type as "resource" | "data", label, line: b.line,
      scope: type === "google_compute_global_address" ? "global" : "regional",
      name: nameValue, nameText: valueText(name.value), nameLine: name.line,
      addressType: addressType === "INTERNAL" ? "INTERNAL" : "EXTERNAL",
      region: region ? literal(region.value) ?? valueText(region.value) : null,
      address: attr("address") ? literal(attr("address")!.value) : null,
    });
  }
  return { addresses, errors };
}

// ————— the rules —————

function kindOf(ingressClass: string | undefined): LoadBalancerKind {
  if (ingressClass === undefined || ingressClass === "" || ingressClass === "gce" || ingressClass === "gce-multi-cluster") return "external";
  if (ingressClass === "gce-internal") return "internal";
  if (ingressClass === "gce-regional-external") return "regional-external";
  return "other-controller";
}

const scopeOf = (kind: LoadBalancerKind): AddressScope => (kind === "external" ? "global" : "regional");
const wantsType = (kind: LoadBalancerKind): "EXTERNAL" | "INTERNAL" => (kind === "internal" ? "INTERNAL" : "EXTERNAL");
const lbName: Record<LoadBalancerKind, string> = {
  external: "the global external Application Load Balancer",
  internal: "the regional internal Application Load Balancer",
  "regional-external": "the regional external Application Load Balancer",
  "other-controller": "another controller's load balancer",
};


const syncEvent = (name: string) =>
  `Warning  Sync  Error syncing to GCP: … the given static IP name ${name} doesn't translate to an existing static IP.`;

function annotationFix(kind: LoadBalancerKind, name: string): string {
  return `metadata:\n  annotations:\n    ${kind === "external" ? GLOBAL_ANNOTATION : REGIONAL_ANNOTATION}: "${name}"`;
}

function terraformFix(kind: LoadBalancerKind, label: string, name: string): string {
  if (kind === "external") return `resource "google_compute_global_address" "${label}" {\n  name = "${name}"\n}`;
  if (kind === "internal") {
    return `resource "google_compute_address" "${label}" {\n  name         = "${name}"\n  region       = "us-central1" # the cluster's region\n  address_type = "INTERNAL"\n  subnetwork   = "SUBNET"      # the subnet the cluster's nodes use\n}`;
  }
  return `resource "google_compute_address" "${label}" {\n  name         = "${name}"\n  region       = "us-central1" # the cluster's region\n  network_tier = "STANDARD"\n}`;
}

/**
 * Lints an Ingress (one or more, multi-document YAML) against the addresses a Terraform text declares.
 * Under a named wrong model it reports what someone holding that belief would expect.
 *
 * @example lintStaticIp({ ingressYaml: INGRESS, terraform: TF }).ingresses[0].outcome // "reserved-address"
 */
export function lintStaticIp(input: StaticIpInput, model: StaticIpModel | null = null): StaticIpLint {
  const ingressRead = readIngresses(input.ingressYaml);
  const tf = readAddresses(input.terraform);
  const errors = { ingress: ingressRead.errors, terraform: tf.errors };
  const findings: Finding[] = [];
  const views: IngressView[] = [];
  const addresses = tf.addresses;
  const computed = addresses.filter((a) => a.name === null);
  const claimedBy = new Map<string, string>(); // scope/name → the Ingress that took it first

  for (const ing of ingressRead.ingresses) {
    const kind = kindOf(ing.annotations.get(CLASS_ANNOTATION)?.value);
    const global = ing.annotations.get(GLOBAL_ANNOTATION);
    const regional = ing.annotations.get(REGIONAL_ANNOTATION);
    const ref = `${ing.namespace}/${ing.name}`;
    const add = (f: Omit<Finding, "ingress" | "source"> & { source?: Finding["source"] }) => findings.push({ source: "ingress", ingress: ref, ...f });
    const view = (outcome: IngressOutcome, address: string, event: string | null, annotation: IngressView["annotation"]) =>
      views.push({ name: ing.name, namespace: ing.namespace, line: ing.line, kind, annotation, outcome, address, event });

    if (kind === "other-controller") {
      const cls = ing.annotations.get(CLASS_ANNOTATION)!;
      add({
        code: "other-controller", severity: "info", line: cls.line,
        title: `ingress.class "${cls.value}" is not GKE's`,
        detail: `GKE's controller handles the classes gce (or none), gce-internal and gce-regional-external; "${cls.value}" belongs to another controller, which does not read these annotations.`,
        fix: null,
      });
      view("unchecked", "whatever the other controller does", null, null);
      continue;
    }
    if (global && regional) {
      add({
        code: "both-annotations", severity: "error", line: Math.max(global.line, regional.line),
        title: "Both static-IP annotations are set",
        detail: "ingress-gce refuses an Ingress that names a global and a regional static address at once (\"both global-static-ip and regional-static-ip cannot be specified\"). Keep the one that matches the load balancer.",
        fix: annotationFix(kind, kind === "external" ? global.value : regional.value),
      });
      view("annotation-conflict", "none (the controller refuses the Ingress)", "Warning  …  both global-static-ip and regional-static-ip cannot be specified", null);
      continue;
    }
    // StaticIPName(): the regional annotation wins, else the global one.
    const chosen = regional ? { key: REGIONAL_ANNOTATION, ...regional } : global ? { key: GLOBAL_ANNOTATION, ...global } : null;
    const scope = scopeOf(kind);

    if (chosen === null) {
      const unused = addresses.find((a) => a.scope === scope && a.addressType === wantsType(kind) && a.name !== null && ![...claimedBy.keys()].includes(`${scope}/${a.name}`));
      const suggestion = unused?.name ?? `${ing.name}-ip`;
      add({
        code: "no-annotation", severity: "warning", line: ing.line,
        title: "No static-IP annotation: the address is ephemeral",
        detail:
          `The controller creates ${lbName[kind]}'s forwarding rule with an ephemeral address and reserves it for as long as this Ingress exists (named after the forwarding rule, recorded in the ingress.kubernetes.io/static-ip annotation). ` +
          "Delete and recreate the Ingress — a rename, a move between clusters, a re-apply from scratch — and the controller releases it and gets a new one: a DNS record pointing at the old address breaks.",
        fix: unused
          ? annotationFix(kind, suggestion)
          : `${annotationFix(kind, suggestion)}\n\n# and in Terraform:\n${terraformFix(kind, "ingress_ip", suggestion)}`,
      });
      view("ephemeral-address", "an ephemeral address, released when the Ingress is deleted", null, null);
      continue;
    }

    const annotation = { key: chosen.key, value: chosen.value, line: chosen.line };
    if (kind !== "external" && chosen.key === GLOBAL_ANNOTATION) {
      add({
        code: "internal-uses-global-annotation", severity: "warning", line: chosen.line,
        title: `A ${kind === "internal" ? "gce-internal" : "gce-regional-external"} Ingress with the global annotation`,
        detail: `GKE documents ${REGIONAL_ANNOTATION} for regional load balancers. ingress-gce falls back to the global annotation's value and looks it up among regional addresses in the cluster's region, so say what you mean: use the regional annotation.`,
        fix: annotationFix(kind, chosen.value),
      });
    }

    // Which declared address the controller (or the model) finds for this name.
    const byName = (a: TerraformAddress) => (model === "annotation-takes-terraform-label" ? a.label === chosen.value : a.name === chosen.value);
    const inScope = addresses.find((a) => a.scope === scope && byName(a));
    const otherScope = addresses.find((a) => a.scope !== scope && byName(a));
    const labelled = addresses.find((a) => a.label === chosen.value && a.name !== chosen.value && a.name !== null);

    if (inScope) {
      if (inScope.addressType !== wantsType(kind)) {
        add({
          code: "wrong-address-type", severity: "error", line: chosen.line,
          title: `${chosen.value} is an ${inScope.addressType} address`,
          detail: `${lbName[kind]} needs an ${wantsType(kind)} address; Compute Engine refuses a forwarding rule on ${inScope.resourceType}.${inScope.label} (address_type = "${inScope.addressType}", line ${inScope.line} of the Terraform), so the sync fails.`,
          fix: terraformFix(kind, inScope.label, chosen.value),
        });
        view("sync-error", "none: the forwarding rule cannot be created", `Warning  Sync  Error syncing to GCP: … (Compute Engine refuses the address for this load balancer)`, annotation);
        continue;
      }
      const key = `${scope}/${chosen.value}`;
      const holder = claimedBy.get(key);
      if (holder) {
        add({
          code: "shared-address", severity: "error", line: chosen.line,
          title: `${chosen.value} is already used by ${holder}`,
          detail: "Each Ingress gets its own forwarding rules, and two load balancers cannot share one address on the same ports: Compute Engine answers 400 to whichever Ingress syncs second, and the controller keeps retrying until one of them is changed. (Here the later document is taken to be second.)",
          fix: `# reserve a second address for this Ingress\n${terraformFix(kind, `${ing.name.replace(/-/g, "_")}_ip`, `${ing.name}-ip`)}\n\n${annotationFix(kind, `${ing.name}-ip`)}`,
        });
        view("address-conflict", "none while the other Ingress holds the address", "Warning  Sync  Error syncing to GCP: … googleapi: Error 400 (the address is in use by another forwarding rule)", annotation);
        continue;
      }
      claimedBy.set(key, ref);
      const shown = inScope.address ?? `the address reserved as ${inScope.name ?? inScope.label}`;
      add({
        code: "reserved", severity: "ok", line: chosen.line,
        title: `${chosen.value} names a reserved ${scope} address`,
        detail: `The controller puts ${lbName[kind]}'s forwarding rules on ${shown}, declared by ${inScope.resourceType}.${inScope.label} (line ${inScope.line}). The controller does not own it: deleting or recreating the Ingress leaves it reserved, so the DNS record keeps working.` +
          (kind === "external" ? "" : " It must be in the cluster's region."),
        fix: null,
      });
      view("reserved-address", shown, null, annotation);
      continue;
    }

    // No address of that name in the load balancer's scope: getEffectiveIP fails the sync.
    const believedEphemeral = model === "unmatched-name-goes-ephemeral";
    const fail = (f: Omit<Finding, "ingress" | "source" | "severity" | "line">) => {
      add({ ...f, severity: "error", line: chosen.line });
      if (believedEphemeral) view("ephemeral-address", "an ephemeral address (as this model believes)", null, annotation);
      else view("sync-error", "none: no forwarding rule is created (an existing one is left as it was)", syncEvent(chosen.value), annotation);
    };
    const outcomeText =
      `ingress-gce looks for a ${scope} address named ${chosen.value}, finds none, and fails the sync with "the given static IP name ${chosen.value} doesn't translate to an existing static IP." ` +
      "It does not fall back to an ephemeral address: a new Ingress gets no forwarding rule and no ADDRESS, and the controller retries until the name exists.";
    if (otherScope) {
      fail({
        code: "wrong-scope", title: `${chosen.value} is a ${otherScope.scope} address; ${lbName[kind]} needs a ${scope} one`,
        detail: `${otherScope.resourceType}.${otherScope.label} (line ${otherScope.line}) reserves a ${otherScope.scope} address. ${outcomeText}` +
          (kind === "external" ? " GKE's external Ingress takes only global addresses: a regional one cannot be used." : ""),
        fix: terraformFix(kind, otherScope.label, chosen.value),
      });
    } else if (labelled) {
      fail({
        code: "names-terraform-label", title: `${chosen.value} is a Terraform label, not an address's name`,
        detail: `${labelled.resourceType}.${labelled.label} (line ${labelled.line}) reserves an address whose name is ${labelled.name}. The annotation takes the name Compute Engine knows (the name argument); the label exists only inside Terraform. ${outcomeText}`,
        fix: annotationFix(kind, labelled.name!),
      });
    } else {
      const candidates = addresses.filter((a) => a.scope === scope && a.name !== null);
      const near = candidates.map((a) => ({ a, d: editDistance(a.name!, chosen.value) })).sort((x, y) => x.d - y.d)[0];
      const maybe = near && near.d <= Math.max(2, Math.floor(chosen.value.length / 4)) ? near.a : null;
      const unknown = computed.length > 0
        ? ` ${computed.map((a) => `${a.resourceType}.${a.label}`).join(", ")} ha${computed.length === 1 ? "s" : "ve"} a computed name (${computed.map((a) => a.nameText).join(", ")}) that may be it.`
        : "";
      fail({
        code: "no-such-address", title: maybe ? `${chosen.value} is not reserved here — did you mean ${maybe.name}?` : `No ${scope} address named ${chosen.value} is reserved here`,
        detail: `${outcomeText}${unknown} Unless the address was created outside this Terraform (gcloud, another configuration), reserve it or fix the name.`,
        fix: maybe ? annotationFix(kind, maybe.name!) : terraformFix(kind, "ingress_ip", chosen.value),
      });
    }
  }

  // Addresses nobody uses are still reserved, and billed.
  for (const a of addresses) {
    if (a.name === null) {
      findings.push({
        source: "terraform", ingress: null, code: "computed-name", severity: "info", line: a.nameLine,
        title: `${a.resourceType}.${a.label} has a computed name`,
        detail: `Its name is ${a.nameText}, which only Terraform can evaluate; the linter cannot tell which Ingress it serves.`,
        fix: null,
      });
      continue;
    }
    const used = [...claimedBy.keys()].includes(`${a.scope}/${a.name}`) || views.some((v) => v.annotation?.value === a.name);
    if (!used && ingressRead.errors.length === 0) {
      findings.push({
        source: "terraform", ingress: null, code: "unused-address", severity: "info", line: a.line,
        title: `${a.name} is reserved but no Ingress here names it`,
        detail: "A reserved external address that nothing uses is still billed. If an Ingress should use it, name it in that Ingress's annotation.",
        fix: null,
      });
    }
  }

  const order = { error: 0, warning: 1, info: 2, ok: 3 } as const;
  findings.sort((x, y) => order[x.severity] - order[y.severity] || (x.source === y.source ? x.line - y.line : x.source === "ingress" ? -1 : 1));
  return { ingresses: views, addresses, findings, errors, model };
}
