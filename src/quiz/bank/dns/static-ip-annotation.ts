import { encodeLabInput } from "../../../sim/core/permalink";
import { seededRandom } from "../../../sim/random";
import { lintStaticIp, type IngressOutcome, type StaticIpInput, type StaticIpModel } from "../../../sim/edge/static-ip";
import { ingressYaml } from "../../../sim/edge/static-ip-examples";
import type { Choice, Template, Why } from "../../engine/types";
import { LESSON, LESSON_PAGE, misconceptionAnswers } from "./shared";
import { orderedChoices, orderRandom, pick } from "../draw";

/**
 * The source's interview question on the global static-IP annotation, put to the learner as a
 * concrete Ingress and Terraform. The key is the linter's outcome for
 * the Ingress (ingress-gce's behaviour), the misconceptions the linter's outcome under each wrong model.
 */
const ID = "static-ip-annotation";

const CASES = ["working", "no-annotation", "terraform-label", "typo", "regional", "internal"] as const;
type Case = (typeof CASES)[number];
const NAMES = [["web-ingress-ip", "ingress_ip"], ["shop-global-ip", "lb_ip"], ["frontend-ip", "web_ip"], ["prod-web-address", "static_ip"]] as const;

function params(seed: number): Record<string, string> {
  if (seed === 0) return { case: "terraform-label", names: "0" };
  const random = seededRandom(seed);
  return { case: pick(random, CASES), names: String(Math.floor(random() * NAMES.length)) };
}

function build(c: Case, nameIndex: number): StaticIpInput {
  const [name, label] = NAMES[nameIndex]!;
  const global = `resource "google_compute_global_address" "${label}" {\n  name = "${name}"\n}\n`;
  const annotation = (value: string) => [`kubernetes.io/ingress.global-static-ip-name: "${value}"`];
  switch (c) {
    case "working": return { ingressYaml: ingressYaml(annotation(name)), terraform: global };
    case "no-annotation": return { ingressYaml: ingressYaml([]), terraform: global };
    case "terraform-label": return { ingressYaml: ingressYaml(annotation(label)), terraform: global };
    case "typo": return { ingressYaml: ingressYaml(annotation(name.replace("-ip", "-ipp").replace("-address", "-adress"))), terraform: global };
    case "regional": return { ingressYaml: ingressYaml(annotation(name)), terraform: `resource "google_compute_address" "${label}" {\n  name   = "${name}"\n  region = "us-central1"\n}\n` };
    case "internal": return {
      ingressYaml: ingressYaml(['kubernetes.io/ingress.class: "gce-internal"', `kubernetes.io/ingress.regional-static-ip-name: "${name}"`]),
      terraform: `resource "google_compute_address" "${label}" {\n  name         = "${name}"\n  region       = "us-central1"\n  address_type = "INTERNAL"\n  subnetwork   = "gke-nodes"\n}\n`,
    };
  }
}

const OPTIONS: Record<"reserved-address" | "ephemeral-address" | "sync-error" | "terraform-creates", string> = {
  "reserved-address": "The forwarding rules use the address Terraform reserved; deleting and recreating the Ingress keeps the same address",
  "ephemeral-address": "The load balancer gets an ephemeral address, which the controller releases when the Ingress is deleted",
  "sync-error": "The controller reports that the static IP name doesn't translate to an existing static IP, and the Ingress gets no address until one exists",
  "terraform-creates": "The controller reserves a new global address under the annotation's name, which Terraform then adopts",
};

export const staticIpAnnotation: Template<"diagnosis"> = {
  id: ID,
  kind: "diagnosis",
  title: "How does the static-IP annotation work?",
  lesson: LESSON,
  concepts: ["static-ip", "gfe", "dns"],
  file: "src/quiz/bank/dns/static-ip-annotation.ts",
  source: "seed 000, question on kubernetes.io/ingress.global-static-ip-name",
  params,
  variant(seed) {
    const p = params(seed);
    const input = build(p.case as Case, Number(p.names));
    const run = (model: StaticIpModel | null) => lintStaticIp(input, model);
    const lint = run(null);
    const view = lint.ingresses[0]!;
    const outcome: IngressOutcome = view.outcome;
    const finding = lint.findings.find((f) => f.source === "ingress") ?? lint.findings[0]!;
    const toOption = (o: IngressOutcome) => (o in OPTIONS ? o : "sync-error");
    const key = { choice: toOption(outcome) };
    const whys: Record<string, Why> = {
      "reserved-address": {
        why: outcome === "reserved-address" ? finding.detail : "That needs an annotation whose value is the name of an address in the load balancer's scope; this Ingress has none.",
        step: null,
      },
      "ephemeral-address": {
        why: outcome === "ephemeral-address" ? finding.detail : "Only an Ingress without the annotation gets an ephemeral address; a name that matches nothing is an error, not a fallback.",
        step: null,
      },
      "sync-error": {
        why: outcome === "sync-error" ? `${finding.title}. ${finding.detail}` : "The controller fails the sync only when the named address does not exist in the load balancer's scope; here it does, or there is no name at all.",
        step: null,
      },
      "terraform-creates": {
        why: "The controller never creates an address for a name you give it: a named address is yours to reserve, and the controller does not own or delete it.",
        step: null,
      },
    };
    const options: Choice[] = orderedChoices(orderRandom(seed, ID), (Object.keys(OPTIONS) as (keyof typeof OPTIONS)[]).map((id) => ({ id, text: OPTIONS[id] })));
    return {
      template: ID, kind: "diagnosis", seed, title: this.title,
      prompt:
        "An Ingress names a reserved address in its kubernetes.io/ingress.global-static-ip-name annotation. Here is a concrete case: the Terraform below has been applied, and then this Ingress is created in a GKE cluster with the HTTP load balancing add-on. What happens to the load balancer's address?",
      exhibits: [
        { kind: "output", command: "cat ingress.yaml", text: input.ingressYaml.trimEnd() },
        { kind: "output", command: "cat address.tf", text: input.terraform.trimEnd() },
      ],
      view: { options },
      key,
      rubric: { options: whys },
      misconceptions: misconceptionAnswers<"diagnosis">(["annotation-takes-terraform-label", "unmatched-name-goes-ephemeral"], (model) => ({
        choice: toOption(run(model as StaticIpModel).ingresses[0]!.outcome),
      }), key),
      hints: [
        "Which name does Compute Engine know the address by — the resource's label or its name argument?",
        "Is the annotation's address in the same scope (global or regional) as the load balancer GKE builds for this Ingress class?",
      ],
      explanation:
        "The annotation gives ingress-gce the name of an address reserved in Compute Engine — the name argument, not the Terraform label. The controller looks it up in the load balancer's scope (global for the external load balancer, regional for gce-internal) " +
        "and puts the forwarding rules on it; it never deletes it, so the DNS record survives the Ingress. With no annotation the controller reserves an ephemeral address for the Ingress's lifetime only. " +
        "A name that matches no address is not a fallback to ephemeral: the sync fails with \"the given static IP name … doesn't translate to an existing static IP\" until the name exists.",
      lab: { page: LESSON_PAGE, lab: "static-ip", query: { "static-ip.in": encodeLabInput({ ingress: input.ingressYaml, terraform: input.terraform }) } },
    };
  },
};
