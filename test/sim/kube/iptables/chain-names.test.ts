import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import {
  hash16,
  serviceExternalChainName,
  serviceFirewallChainName,
  servicePortChainName,
  servicePortEndpointChainName,
  servicePortLocalChainName,
} from "../../../../src/sim/kube/iptables";

/** base32.StdEncoding of the whole digest, the slow obvious way, to check the 10-byte shortcut. */
function referenceHash16(input: string): string {
  const digest = sha256(new TextEncoder().encode(input));
  let bits = "";
  for (const b of digest) bits += b.toString(2).padStart(8, "0");
  let out = "";
  for (let i = 0; i + 5 <= bits.length; i += 5) out += "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[parseInt(bits.slice(i, i + 5), 2)];
  return out.slice(0, 16);
}

describe("chain names, against the names in proxier_test.go's dumps", () => {
  it.each([
    ["ns1/svc1:p80", "XPGD46QRK7WJZT7O"],
    ["ns2/svc2:p80", "GNZBNJ2PO5MGZ6GT"],
    ["ns3/svc3:p80", "X27LE4BHSL4DOUIK"],
    ["ns4/svc4:p80", "4SW47YFZTEDKD3PK"],
    ["ns5/svc5:p80", "NUKIZ6OKUXPJNT4C"],
    ["ns2/svc2:p8080", "2VJB64SDSIJUP5T6"],
    ["ns4/svc4:p8082", "EBDQOQU5SJFXRIL3"],
  ])("%s/tcp → %s", (name, hash) => {
    expect(servicePortChainName(name, "tcp")).toBe(`KUBE-SVC-${hash}`);
    expect(servicePortLocalChainName(name, "tcp")).toBe(`KUBE-SVL-${hash}`);
    expect(serviceExternalChainName(name, "tcp")).toBe(`KUBE-EXT-${hash}`);
    expect(serviceFirewallChainName(name, "tcp")).toBe(`KUBE-FW-${hash}`);
  });

  it.each([
    ["ns1/svc1:p80", "10.180.0.1:80", "SXIVWICOYRO3J4NJ"],
    ["ns2/svc2:p80", "10.180.0.2:80", "RS4RBKLTHTF2IUXJ"],
    ["ns3/svc3:p80", "10.180.0.3:80", "OYPFS5VJICHGATKP"],
    ["ns4/svc4:p80", "10.180.0.4:80", "UKSFD7AGPMPPLUHC"],
    ["ns4/svc4:p80", "10.180.0.5:80", "C6EBXVWJJZMIWKLZ"],
    ["ns5/svc5:p80", "10.180.0.3:80", "I77PXRDZVX7PMWMN"],
    ["ns1/svc1:p80", "10.0.1.1:80", "SNQ3ZNILQDEJNDQO"],
    ["ns2/svc2:p8080", "10.0.2.1:8080", "UHEGFW77JX3KXTOV"],
    ["ns3/svc3:p80", "10.0.3.1:80", "BSWRHOQ77KEXZLNL"],
    ["ns3/svc3:p80", "10.0.3.2:80", "DKCFIS26GWF2WLWC"],
    ["ns3/svc3:p80", "10.0.3.3:80", "JVVZVJ7BSEPPRNBS"],
    ["ns4/svc4:p80", "10.0.4.1:80", "AYCN5HPXMIRJNJXU"],
    ["ns1/svc1:p80", "10.0.0.0:80", "DKGQUZGBKLTPAR56"],
    ["ns3/svc3:p8081", "203.0.113.4:8081", "RUVVH7YV3PHQBDOS"],
    ["ns4/svc4:p8082", "10.4.0.1:8082", "SU5STNODRYEWJAUF"],
  ])("endpoint %s %s → KUBE-SEP-%s", (name, endpoint, hash) => {
    expect(servicePortEndpointChainName(name, "tcp", endpoint)).toBe(`KUBE-SEP-${hash}`);
  });

  it("the reused hasher agrees with a fresh SHA-256 for any input, long or non-ASCII", () => {
    const inputs = ["", "a", "x".repeat(55), "x".repeat(56), "y".repeat(64), "z".repeat(200), "ns/ünïcode:πort" + "tcp", "ns1/svc1tcp[fd00::1]:53"];
    for (let i = 0; i < 200; i++) inputs.push(`ns${i}/svc-${"q".repeat(i % 90)}:p${i}udp10.${i}.0.1:${i}`);
    for (const s of inputs) expect(hash16(s)).toBe(referenceHash16(s));
  });
});
