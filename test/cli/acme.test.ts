import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", "acme", ...args], { encoding: "utf8" });
const TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
let dir = "";
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "packet-lab-acme-"));
  // certbot's 512-bit test key (acme-certbot.json) — for vectors only.
  writeFileSync(file("certbot.json"), JSON.stringify({ kty: "RSA", n: "rHVztFHtH92ucFJD_N_HW9AsdRsUuHUBBBDlHwNlRd3fp580rv2-6QWE30cWgdmJS86ObRz6lUTor4R0T-3C5Q", e: "AQAB" }));
  writeFileSync(file("private.json"), JSON.stringify({ kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A" }));
  writeFileSync(file("broken.json"), '{"kty":"RSA",');
});

describe("npm run sim -- acme", () => {
  it("--json keeps the contract's fields, with certbot's values", () => {
    const out = sim("--jwk", file("certbot.json"), "--token", TOKEN, "--domain", "www.example.com", "--json");
    expect(out.status, out.stderr).toBe(0);
    const j = JSON.parse(out.stdout);
    expect(j.thumbprint).toBe("oKGqedy-b-acd5eoybm2f-NVFxvyOoET5CNy3xnv8WY");
    expect(j.keyAuthorization).toBe(`${TOKEN}.oKGqedy-b-acd5eoybm2f-NVFxvyOoET5CNy3xnv8WY`);
    expect(j.http01).toMatchObject({ url: `http://www.example.com/.well-known/acme-challenge/${TOKEN}`, body: j.keyAuthorization });
    expect(j.dns01).toMatchObject({ name: "_acme-challenge.www.example.com", value: "rAa7iIg4K2y63fvUhCfy8dP1Xl7wEhmQq0oChTcE3Zk" });
  });
  it("a wildcard name gives the base name's record and no http-01", () => {
    const j = JSON.parse(sim("--jwk", file("certbot.json"), "--token", TOKEN, "--domain", "*.www.example.com", "--json").stdout);
    expect(j.dns01.name).toBe("_acme-challenge.www.example.com");
    expect(j.http01).toBeNull();
  });
  it("text output names each piece; --scenario prints the CA's check", () => {
    const out = sim("--jwk", file("certbot.json"), "--token", TOKEN, "--domain", "www.example.com", "--scenario", "bgp-hijack-local");
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^thumbprint {8}oKGq/m);
    expect(out.stdout).toContain('_acme-challenge.www.example.com. 60 IN TXT "rAa7iIg4K2y63fvUhCfy8dP1Xl7wEhmQq0oChTcE3Zk"');
    expect(out.stdout).toMatch(/^REFUSED: refused at mpic/m);
    const single = JSON.parse(sim("--jwk", file("certbot.json"), "--token", TOKEN, "--domain", "www.example.com", "--scenario", "bgp-hijack-local", "--model", "single-vantage-ca", "--json").stdout);
    expect(single.check).toMatchObject({ outcome: "issued", misissued: true });
  });
  it("bad input exits 2 with one line naming it", () => {
    const cases: [string[], RegExp][] = [
      [["--jwk", file("private.json"), "--token", TOKEN, "--domain", "a.example.com"], /\.d: .*private key/],
      [["--jwk", file("broken.json"), "--token", TOKEN, "--domain", "a.example.com"], /not JSON/],
      [["--jwk", file("nope.json"), "--token", TOKEN, "--domain", "a.example.com"], /no such file/],
      [["--jwk", file("certbot.json"), "--token", "..", "--domain", "a.example.com"], /base64url alphabet/],
      [["--jwk", file("certbot.json"), "--token", "short", "--domain", "a.example.com"], /128 bits/],
      [["--jwk", file("certbot.json"), "--token", TOKEN, "--domain", "a.*.example.com"], /left-most label/],
      [["--jwk", file("certbot.json"), "--token", TOKEN, "--domain", "a.example.com", "--scenario", "mitm"], /--scenario mitm/],
      [["--jwk", file("certbot.json"), "--token", TOKEN, "--domain", "a.example.com", "--caa", "none"], /give --scenario/],
      [["--token", TOKEN, "--domain", "a.example.com"], /--jwk/],
    ];
    for (const [args, message] of cases) {
      const out = sim(...args);
      expect(out.status, args.join(" ")).toBe(2);
      expect(out.stderr.trim().split("\n")).toHaveLength(1);
      expect(out.stderr).toMatch(message);
      expect(out.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
  });
});
