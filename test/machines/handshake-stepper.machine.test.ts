/**
 * The handshake stepper's machine, driven with the pure `initialTransition` / `transition`: it opens on
 * the journey computed ahead of time, steps a session's messages, follows a setting to another trace
 * (waiting for the simulator when it is not there yet), keeps a bad value at its field, turns a bad link
 * into messages while opening on defaults, and runs the SNI chooser.
 */
import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import {
  announceStep, currentHop, currentMessages, handshakeStepperMachine, isStale, settingsKey,
  type ComputeJourney, type HandshakeStepperEvent, type HandshakeStepperInput,
} from "../../src/machines/handshake-stepper.machine";
import { computeTrace } from "../../src/sim/scenarios/index";
import { readJourneyTls } from "../../src/sim/tls/handshake/journey-tls";
import { EXAMPLE_PROXY_CERTIFICATES } from "../../src/sim/tls/handshake/sni";

const compute: ComputeJourney = (s) => readJourneyTls(computeTrace("cloudflare-gke", s));
const defaults = { cloudflare: "on", host: "www.example.com", "origin-cert": "certificate-manager", "origin-protection": "none", connections: "warm" };
const settings: HandshakeStepperInput["settings"] = [
  { key: "cloudflare", label: "Cloudflare proxy", values: [{ value: "on", label: "On" }, { value: "off", label: "Off" }, { value: "bypassed", label: "Bypassed" }] },
  { key: "host", label: "Host", values: [] },
  { key: "origin-cert", label: "Certificate", values: ["certificate-manager", "origin-ca", "managed-issued-dns-only", "managed-proxied"].map((value) => ({ value, label: value })) },
  { key: "origin-protection", label: "Origin protection", values: ["none", "cloud-armor", "mtls"].map((value) => ({ value, label: value })) },
  { key: "connections", label: "Connections", values: [{ value: "warm", label: "Warm" }, { value: "cold", label: "Cold" }] },
];
const input = (withCompute: boolean): HandshakeStepperInput => ({
  settings, defaults, certificates: EXAMPLE_PROXY_CERTIFICATES,
  known: { [settingsKey(defaults)]: compute(defaults) }, compute: withCompute ? compute : null,
});

function run(events: HandshakeStepperEvent[], withCompute = true) {
  let [snapshot] = initialTransition(handshakeStepperMachine, input(withCompute));
  for (const e of events) [snapshot] = transition(handshakeStepperMachine, snapshot, e);
  return snapshot.context;
}

describe("handshake stepper machine", () => {
  it("opens on the precomputed journey at the first termination's ClientHello", () => {
    const c = run([], false);
    expect(c.waiting).toBe(false);
    expect(currentHop(c)?.id).toBe("browser-cloudflare");
    expect(currentMessages(c)[c.step]?.id).toBe("client-hello");
    expect(c.announcement).toMatch(/Message 1 of 8: ClientHello/);
  });

  it("steps forward and back within the session, and clamps at its ends", () => {
    const c = run([{ type: "BACK" }, { type: "NEXT" }, { type: "NEXT" }, { type: "NEXT" }, { type: "BACK" }]);
    expect(c.step).toBe(2);
    expect(announceStep(c)).toMatch(/EncryptedExtensions.*encrypted under the handshake keys/);
    const end = run(Array.from({ length: 20 }, () => ({ type: "NEXT" }) as const));
    expect(currentMessages(end)[end.step]?.id).toBe("application-data");
    expect(run([{ type: "NEXT" }, { type: "FIRST" }]).step).toBe(0);
  });

  it("switches to the second termination, and to authenticated origin pulls' CertificateRequest", () => {
    const c = run([{ type: "SET_SETTING", key: "origin-protection", value: "mtls" }, { type: "SET_HOP", hop: "cloudflare-gfe" }]);
    expect(currentMessages(c).map((m) => m.id)).toContain("certificate-request");
  });

  it("waits for the simulator for settings not computed ahead, keeping the last journey on screen", () => {
    let [s] = initialTransition(handshakeStepperMachine, input(false));
    [s] = transition(handshakeStepperMachine, s, { type: "SET_SETTING", key: "cloudflare", value: "off" });
    expect(s.context.waiting).toBe(true);
    expect(isStale(s.context)).toBe(true);
    expect(currentHop(s.context)?.id).toBe("browser-cloudflare");
    [s] = transition(handshakeStepperMachine, s, { type: "SIMULATOR_LOADED", compute });
    expect(s.context.waiting).toBe(false);
    expect(currentHop(s.context)?.id).toBe("browser-gfe");
  });

  it("keeps a bad host name at its field and the journey as it was", () => {
    const c = run([{ type: "SET_SETTING", key: "host", value: "shop..example.com" }]);
    expect(c.errors.host).toMatch(/label 2 is empty/);
    expect(c.drafts.host).toBe("shop..example.com");
    expect(c.chosen.host).toBe("www.example.com");
    const fixed = run([{ type: "SET_SETTING", key: "host", value: "shop..example.com" }, { type: "SET_SETTING", key: "host", value: "a.b.example.com" }]);
    expect(fixed.errors).toEqual({});
    expect(currentHop(fixed)?.failure?.alert).toBe("handshake_failure (40)");
  });

  it("opens a link's hop and step, and says what in a link it cannot use while opening on defaults", () => {
    const ok = run([{ type: "OPEN_LINK", scenario: { "origin-protection": "mtls", city: "tokyo" }, hop: "cloudflare-gfe", step: "certificate-request" }]);
    expect(currentHop(ok)?.id).toBe("cloudflare-gfe");
    expect(currentMessages(ok)[ok.step]?.id).toBe("certificate-request");
    expect(ok.linkErrors).toEqual([]);
    const bad = run([{ type: "OPEN_LINK", scenario: { cloudflare: "sideways" }, hop: "nowhere", step: "99" }]);
    expect(bad.linkErrors).toHaveLength(3);
    expect(bad.chosen.cloudflare).toBe("on");
    expect(currentHop(bad)?.id).toBe("browser-cloudflare");
    expect(bad.step).toBe(0);
  });

  it("chooses a certificate by SNI, says at the field what is wrong with a bad name, and follows a new primary", () => {
    expect(run([]).choice?.index).toBe(1);
    const bad = run([{ type: "SET_SNI", text: "bad_name!.com" }]);
    expect(bad.sniError).toMatch(/bad_name/);
    expect(bad.choice).toBeNull();
    const fallback = run([{ type: "SET_SNI", text: "blog.example.com" }, { type: "MAKE_PRIMARY", index: 2 }]);
    expect(fallback.certificates[0]!.name).toBe("shop-example-net-tls");
    expect(fallback.choice).toMatchObject({ index: 0, why: "no-match-primary", accepted: false });
  });
});
