import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { staticIpLintMachine, type StaticIpLintEvent } from "../../src/machines/static-ip-lint.machine";
import { lintStaticIp } from "../../src/sim/edge/static-ip";
import { STATIC_IP_PRESETS } from "../../src/sim/edge/static-ip-examples";

// As StaticIpLab.astro hands them over: each preset with its findings computed at build time.
const presets = STATIC_IP_PRESETS.map((p) => ({ ...p, lint: lintStaticIp(p.input) }));
const start = (input: { preset?: string } = {}) => initialTransition(staticIpLintMachine, { presets, ...input })[0];
const send = (s: ReturnType<typeof start>, ...events: StaticIpLintEvent[]) => events.reduce((acc, e) => transition(staticIpLintMachine, acc, e)[0], s);
const loaded: StaticIpLintEvent = { type: "LINTER_LOADED", linter: lintStaticIp };

describe("static-IP linter machine", () => {
  it("opens on the working example without the linter", () => {
    const s = start();
    expect(s.context.preset).toBe("working");
    expect(s.context.linter).toBeNull();
    expect(s.context.lint.ingresses[0]!.outcome).toBe("reserved-address");
    expect(s.context.errors).toEqual({ ingress: [], terraform: [] });
  });

  it("switches presets without the linter, using the build's findings", () => {
    const s = send(start(), { type: "LOAD_PRESET", id: "terraform-label" });
    expect(s.context.preset).toBe("terraform-label");
    expect(s.context.waiting).toBe(false);
    expect(s.context.lint.findings[0]!.code).toBe("names-terraform-label");
    expect(start({ preset: "no-such-preset" }).context.preset).toBe("working");
  });

  it("an edit before the linter arrives waits for it, then is linted", () => {
    let s = send(start(), { type: "EDIT", field: "ingress", text: start().context.texts.ingress.replace('"web-ingress-ip"', '"ingress_ip"') });
    expect(s.context.waiting).toBe(true);
    expect(s.context.preset).toBeNull();
    s = send(s, loaded);
    expect(s.context.waiting).toBe(false);
    expect(s.context.lint.findings[0]!.code).toBe("names-terraform-label");
  });

  it("says when the linter cannot be loaded, and tries again on the next edit", () => {
    let s = send(start(), { type: "EDIT", field: "terraform", text: "" }, { type: "LINTER_FAILED", message: "offline" });
    expect(s.context).toMatchObject({ waiting: false, loadError: "offline" });
    s = send(s, { type: "EDIT", field: "terraform", text: "# nothing" });
    expect(s.context.waiting).toBe(true);
    s = send(s, loaded);
    expect(s.context.loadError).toBeNull();
    expect(s.context.lint.findings[0]!.code).toBe("no-such-address");
  });

  it("keeps a text's errors at that text, and the findings of the last good version", () => {
    let s = send(start(), loaded, { type: "EDIT", field: "terraform", text: 'resource "google_compute_global_address" "ingress_ip" {\n  name = "web-ingress-ip\n' });
    expect(s.context.errors.terraform[0]!.line).toBe(2);
    expect(s.context.errors.ingress).toEqual([]);
    expect(s.context.lint.ingresses[0]!.outcome).toBe("reserved-address");
    s = send(s, { type: "EDIT", field: "ingress", text: s.context.texts.ingress.replace('"web-ingress-ip"', '"ingress_ip"') });
    // The ingress edit is read against the last good Terraform: the label mistake shows at once.
    expect(s.context.lint.findings[0]!.code).toBe("names-terraform-label");
    // Compute Engine names take no underscores: the Terraform itself is refused, at its line.
    s = send(s, { type: "EDIT", field: "terraform", text: 'resource "google_compute_global_address" "ingress_ip" {\n  name = "ingress_ip"\n}\n' });
    expect(s.context.errors.terraform[0]).toMatchObject({ line: 2 });
    s = send(s, { type: "EDIT", field: "terraform", text: 'resource "google_compute_global_address" "ingress_ip" {\n  name = "web-ingress-ip"\n}\n' });
    expect(s.context.errors).toEqual({ ingress: [], terraform: [] });
    expect(s.context.lint.ingresses[0]!.outcome).toBe("sync-error");
  });

  it("opens a link's texts: a preset's as that preset, others once the linter is there", () => {
    const p = STATIC_IP_PRESETS.find((x) => x.id === "regional")!;
    expect(send(start(), { type: "LOAD_TEXTS", ingress: p.input.ingressYaml, terraform: p.input.terraform }).context).toMatchObject({ preset: "regional", waiting: false });
    const s = send(start(), loaded, { type: "LOAD_TEXTS", ingress: p.input.ingressYaml.replace("web-ingress-ip", "other-ip"), terraform: p.input.terraform });
    expect(s.context.preset).toBeNull();
    expect(s.context.lint.findings[0]!.code).toBe("no-such-address");
  });
});
