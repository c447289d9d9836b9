import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { acmeLabMachine, stepAnnouncement, type AcmeLabEvent } from "../../src/machines/acme-lab.machine";

const start = (input = {}) => initialTransition(acmeLabMachine, input)[0];
const send = (events: AcmeLabEvent[], input = {}) => events.reduce((s, e) => transition(acmeLabMachine, s, e)[0], start(input));

describe("acme-lab machine", () => {
  it("opens on a sample key with everything computed: thumbprint, key authorization, both challenges, an issued check", () => {
    const c = start().context;
    expect(c.account.thumbprint).toHaveLength(43);
    expect(c.material.keyAuthorization).toBe(`${c.token}.${c.account.thumbprint}`);
    expect(c.material.http01!.url).toBe(`http://shop.example.com/.well-known/acme-challenge/${c.token}`);
    expect(c.material.dns01!.name).toBe("_acme-challenge.shop.example.com");
    expect(c.check.outcome).toBe("issued");
    expect(c.cursor).toBe(0);
  });
  it("a bad key keeps its message at the field and the last good key; a good one clears it", () => {
    const before = start().context;
    const bad = send([{ type: "EDIT", field: "jwk", text: "{\"kty\":" }]).context;
    expect(bad.errors.jwk).toMatch(/not JSON/);
    expect(bad.account.thumbprint).toBe(before.account.thumbprint);
    expect(bad.keyId).toBe("custom");
    const priv = send([{ type: "EDIT", field: "jwk", text: JSON.stringify({ kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", d: "x" }) }]).context;
    expect(priv.errors.jwk).toMatch(/^d: .*never be pasted/);
    const good = send([{ type: "EDIT", field: "jwk", text: "{" }, { type: "PICK_KEY", id: "rfc8037-ed25519" }]).context;
    expect(good.errors.jwk).toBeNull();
    expect(good.account.thumbprint).toBe("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
  });
  it("a wildcard name moves the dns-01 record to the base name and drops http-01", () => {
    const c = send([{ type: "EDIT", field: "domain", text: "*.example.com" }, { type: "SET", key: "challenge", value: "dns-01" }]).context;
    expect(c.material.dns01!.name).toBe("_acme-challenge.example.com");
    expect(c.material.http01).toBeNull();
    expect(c.check.outcome).toBe("issued");
  });
  it("bad token and name keep messages; the check keeps running on the last good values", () => {
    const c = send([{ type: "EDIT", field: "token", text: "abc=" }, { type: "EDIT", field: "domain", text: "a..b" }, { type: "SET", key: "scenario", value: "attacker-no-access" }]).context;
    expect(c.errors.token).toMatch(/padding/);
    expect(c.errors.domain).toMatch(/empty label/);
    expect(c.check.failedStep).toBe("fetch");
  });
  it("steps forward and back within the trace, and announces the end", () => {
    let s = send([{ type: "SET", key: "scenario", value: "bgp-hijack-local" }]);
    const n = s.context.check.steps.length;
    for (let i = 0; i < n + 3; i++) s = transition(acmeLabMachine, s, { type: "NEXT" })[0];
    expect(s.context.cursor).toBe(n - 1);
    expect(stepAnnouncement(s.context)).toMatch(/mpic: .* Failed\. The CA refuses\.$/);
    s = transition(acmeLabMachine, s, { type: "FIRST" })[0];
    expect(s.context.cursor).toBe(0);
  });
  it("a link opens the lab at a scenario and step; bad values become messages and change nothing", () => {
    const c = send([{ type: "LOAD_LINK", params: { scenario: "dangling-cname", caa: "letsencrypt", ca: "pki.goog", step: "caa" } }]).context;
    expect(c.check.failedStep).toBe("caa");
    expect(c.check.steps[c.cursor]!.id).toBe("caa");
    expect(c.linkProblems).toEqual([]);
    const bad = send([{ type: "LOAD_LINK", params: { scenario: "mitm", step: "99", colour: "red" } }]).context;
    expect(bad.settings.scenario).toBe("owner");
    expect(bad.cursor).toBe(0);
    expect(bad.linkProblems).toHaveLength(3);
    expect(bad.linkProblems.join(" ")).toMatch(/scenario="mitm"/);
  });
});
