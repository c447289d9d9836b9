import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lintStaticIp, type StaticIpLint } from "../../../src/sim/edge/static-ip";
import { ingressYaml, STATIC_IP_PRESETS, staticIpPreset } from "../../../src/sim/edge/static-ip-examples";
import { HclError, parseHcl } from "../../../src/sim/edge/static-ip-hcl";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const lint = (id: string, model: Parameters<typeof lintStaticIp>[1] = null): StaticIpLint => lintStaticIp(staticIpPreset(id)!.input, model);
const codes = (l: StaticIpLint) => l.findings.map((f) => `${f.severity}:${f.code}`);
const globalTf = (label: string, name: string) => `resource "google_compute_global_address" "${label}" {\n  name = "${name}"\n}\n`;

describe("static-IP linter: what ingress-gce does with the annotation", () => {
  it("a name that matches a reserved global address: the forwarding rule uses it", () => {
    const l = lint("working");
    expect(l.errors).toEqual({ ingress: [], terraform: [] });
    expect(l.ingresses[0]).toMatchObject({ name: "web", kind: "external", outcome: "reserved-address", address: "34.98.10.5", event: null });
    expect(codes(l)).toEqual(["ok:reserved"]);
    expect(l.findings[0]!.line).toBe(7); // the annotation's line in the pasted YAML
  });

  it("no annotation: an ephemeral address the controller reserves for the Ingress's lifetime only", () => {
    const l = lint("no-annotation");
    expect(l.ingresses[0]!.outcome).toBe("ephemeral-address");
    const f = l.findings.find((x) => x.code === "no-annotation")!;
    expect(f).toMatchObject({ severity: "warning", source: "ingress", line: 4 });
    expect(f.detail).toContain("ingress.kubernetes.io/static-ip");
    expect(f.fix).toContain('kubernetes.io/ingress.global-static-ip-name: "web-ingress-ip"');
  });

  it("a name that matches no address fails the sync with ingress-gce's own message — no ephemeral fallback", () => {
    const l = lint("typo");
    expect(l.ingresses[0]!.outcome).toBe("sync-error");
    expect(l.ingresses[0]!.event).toContain("the given static IP name web-ingres-ip doesn't translate to an existing static IP.");
    expect(l.findings[0]).toMatchObject({ code: "no-such-address", severity: "error", line: 7 });
    expect(l.findings[0]!.title).toContain("did you mean web-ingress-ip?");
  });

  it("the Terraform label is not the address's name: the annotation takes the name argument", () => {
    const l = lint("terraform-label");
    expect(l.findings[0]).toMatchObject({ code: "names-terraform-label", severity: "error" });
    expect(l.findings[0]!.fix).toBe('metadata:\n  annotations:\n    kubernetes.io/ingress.global-static-ip-name: "web-ingress-ip"');
    expect(l.ingresses[0]!.outcome).toBe("sync-error");
  });

  it("a regional google_compute_address cannot serve the external (global) load balancer", () => {
    const l = lint("regional");
    expect(l.findings[0]).toMatchObject({ code: "wrong-scope", severity: "error" });
    expect(l.findings[0]!.fix).toContain('resource "google_compute_global_address"');
    expect(l.ingresses[0]!.outcome).toBe("sync-error");
  });

  it("an internal Ingress: the regional annotation and an INTERNAL regional address", () => {
    expect(codes(lint("internal"))).toEqual(["ok:reserved"]);
    const l = lint("internal-global-annotation");
    expect(codes(l)).toEqual(["warning:internal-uses-global-annotation", "ok:reserved"]);
    expect(l.ingresses[0]!.kind).toBe("internal");
    // The same name as an EXTERNAL address: refused.
    const external = lintStaticIp({
      ingressYaml: ingressYaml(['kubernetes.io/ingress.class: "gce-internal"', 'kubernetes.io/ingress.regional-static-ip-name: "ip"']),
      terraform: 'resource "google_compute_address" "ip" {\n  name   = "ip"\n  region = "us-central1"\n}\n',
    });
    expect(codes(external)[0]).toBe("error:wrong-address-type");
  });

  it("two Ingresses naming one address: the second is refused (400) while the first holds it", () => {
    const l = lint("shared");
    expect(l.ingresses.map((i) => i.outcome)).toEqual(["reserved-address", "address-conflict"]);
    expect(l.findings.find((f) => f.code === "shared-address")).toMatchObject({ line: 27, ingress: "default/web-canary" });
  });

  it("both annotations at once: refused, as annotations.StaticIPName() does", () => {
    const l = lintStaticIp({
      ingressYaml: ingressYaml(['kubernetes.io/ingress.global-static-ip-name: "a"', 'kubernetes.io/ingress.regional-static-ip-name: "b"']),
      terraform: globalTf("a", "a"),
    });
    expect(l.ingresses[0]!.outcome).toBe("annotation-conflict");
    expect(l.findings[0]).toMatchObject({ code: "both-annotations", line: 8 });
  });

  it("says what it cannot know: computed names and another controller's class", () => {
    const l = lintStaticIp({
      ingressYaml: ingressYaml(['kubernetes.io/ingress.global-static-ip-name: "web-prod-ip"']),
      terraform: 'variable "env" {}\nresource "google_compute_global_address" "ip" {\n  name = "web-${var.env}-ip"\n}\n',
    });
    expect(l.findings.find((f) => f.code === "no-such-address")!.detail).toContain('"web-${var.env}-ip"');
    expect(l.findings.find((f) => f.code === "computed-name")).toMatchObject({ source: "terraform", line: 3 });
    const nginx = lintStaticIp({ ingressYaml: ingressYaml(['kubernetes.io/ingress.class: "nginx"']), terraform: "" });
    expect(nginx.ingresses[0]!.outcome).toBe("unchecked");
  });

  it("reports input errors at their line and keeps the other text's findings apart", () => {
    const bad = lintStaticIp({ ingressYaml: "kind: Ingress\nmetadata:\n  name: [web\n", terraform: globalTf("ip", "Bad_Name") });
    expect(bad.errors.ingress[0]!.line).toBeGreaterThanOrEqual(3); // where the YAML parser notices the unclosed [
    expect(bad.errors.terraform[0]).toEqual({ line: 2, message: expect.stringContaining("lower-case letters") });
    expect(lintStaticIp({ ingressYaml: "kind: Service\n", terraform: "" }).errors.ingress[0]!.message).toContain("no Ingress here");
    const v1beta1 = lintStaticIp({ ingressYaml: ingressYaml([]).replace("networking.k8s.io/v1", "networking.k8s.io/v1beta1"), terraform: "" });
    expect(v1beta1.errors.ingress[0]).toMatchObject({ line: 1 });
    const region = lintStaticIp({ ingressYaml: ingressYaml([]), terraform: 'resource "google_compute_global_address" "ip" {\n  name = "ip"\n  region = "us-central1"\n}\n' });
    expect(region.errors.terraform[0]!.line).toBe(3);
  });

  it("runs its wrong models: the label taken for the name, and an ephemeral fallback", () => {
    expect(lint("terraform-label", "annotation-takes-terraform-label").ingresses[0]!.outcome).toBe("reserved-address");
    expect(lint("working", "annotation-takes-terraform-label").ingresses[0]!.outcome).toBe("sync-error");
    expect(lint("typo", "unmatched-name-goes-ephemeral").ingresses[0]!.outcome).toBe("ephemeral-address");
    expect(lint("working", "unmatched-name-goes-ephemeral").ingresses[0]!.outcome).toBe("reserved-address");
  });

  it("every preset lints without input errors", () => {
    for (const p of STATIC_IP_PRESETS) expect(lintStaticIp(p.input).errors, p.id).toEqual({ ingress: [], terraform: [] });
  });
});

describe("static-IP linter properties", () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);
  const label = fc.stringMatching(/^[a-z_][a-z0-9_]{0,15}$/);

  it("the annotation matches on the name argument, never on the label", () => {
    fc.assert(fc.property(name, label, (n, l) => {
      fc.pre(n !== l);
      const tf = globalTf(l, n);
      const byName = lintStaticIp({ ingressYaml: ingressYaml([`kubernetes.io/ingress.global-static-ip-name: "${n}"`]), terraform: tf });
      expect(byName.ingresses[0]!.outcome).toBe("reserved-address");
      const byLabel = lintStaticIp({ ingressYaml: ingressYaml([`kubernetes.io/ingress.global-static-ip-name: "${l}"`]), terraform: tf });
      expect(byLabel.ingresses[0]!.outcome).toBe("sync-error");
    }), { numRuns: RUNS });
  });

  it("comments and blank lines in the Terraform change no outcome", () => {
    fc.assert(fc.property(name, fc.array(fc.constantFrom("# note", "// note", "/* a\n b */", ""), { maxLength: 4 }), (n, noise) => {
      const tf = `${noise.join("\n")}\nresource "google_compute_global_address" "ip" {\n  ${noise.map((x) => x.replace(/\n/g, " ")).filter((x) => !x.startsWith("//") && !x.startsWith("#")).join(" ")}\n  name = "${n}" # the name\n  lifecycle {\n    prevent_destroy = true\n  }\n}\n`;
      const l = lintStaticIp({ ingressYaml: ingressYaml([`kubernetes.io/ingress.global-static-ip-name: "${n}"`]), terraform: tf });
      expect(l.errors.terraform).toEqual([]);
      expect(l.ingresses[0]!.outcome).toBe("reserved-address");
    }), { numRuns: RUNS });
  });
});

describe("the HCL subset reader", () => {
  it("reads labels, literal values, expressions and nested blocks", () => {
    const blocks = parseHcl([
      'resource "google_compute_global_address" "ingress_ip" {',
      '  name     = "web-ip" // the name',
      "  labels   = { env = \"prod\",",
      '              team = "web" }',
      "  project  = var.project",
      '  desc     = "$${literal} \\"quoted\\""',
      '  tmpl     = "ip-${var.env}"',
      "  count    = 1",
      "  lifecycle {",
      "    prevent_destroy = true",
      "  }",
      "}",
    ].join("\n"));
    const [b] = blocks;
    expect(b).toMatchObject({ type: "resource", labels: ["google_compute_global_address", "ingress_ip"], line: 1 });
    const v = Object.fromEntries(b!.attributes.map((a) => [a.name, a.value]));
    expect(v.name).toEqual({ kind: "string", value: "web-ip" });
    expect(v.labels!.kind).toBe("expression");
    expect(v.project).toEqual({ kind: "expression", text: "var.project" });
    expect(v.desc).toEqual({ kind: "string", value: '${literal} "quoted"' });
    expect(v.tmpl).toEqual({ kind: "expression", text: '"ip-${var.env}"' });
    expect(v.count).toEqual({ kind: "number", value: 1 });
    expect(b!.attributes.find((a) => a.name === "project")!.line).toBe(5);
    expect(b!.blocks[0]).toMatchObject({ type: "lifecycle", line: 9, attributes: [{ name: "prevent_destroy", value: { kind: "bool", value: true } }] });
  });

  it("names the line of each error", () => {
    const at = (text: string) => {
      try {
        parseHcl(text);
        return null;
      } catch (e) {
        return e instanceof HclError ? [e.line, e.reason] : null;
      }
    };
    expect(at('resource "a" "b" {\n  name = "x"\n')).toEqual([1, expect.stringContaining("never closes it")]);
    expect(at('resource "a" "b" {\n  name "x"\n}')).toEqual([2, expect.stringContaining('needs "="')]);
    expect(at('resource "a" "b" {\n  name = "x"\n  name = "y"\n}')).toEqual([3, expect.stringContaining("set twice")]);
    expect(at("}\n")).toEqual([1, expect.stringContaining("closes nothing")]);
    expect(at('resource "a" "b" {\n  name = <<EOF\nx\nEOF\n}')).toEqual([2, expect.stringContaining("heredoc")]);
    expect(at("/* open\n\n")).toEqual([1, expect.stringContaining("never closed")]);
    expect(at('resource "a" "b" {\n  v = [1,\n  2\n}')).toEqual([2, expect.any(String)]);
  });
});
