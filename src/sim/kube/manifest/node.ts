/**
 * v1 Node: its name, labels (the zone label feeds EndpointSlice hints), status.addresses — the
 * node's own IPs, which kube-proxy treats as local (`-m addrtype --dst-type LOCAL`, NodePort
 * addresses) — and spec.podCIDRs, validated as ValidateNode does.
 */
import type { Node, NodeAddress } from "../model";
import { duplicateMessage, invalidMessage, notSupportedMessage } from "./field-path";
import { isDns1123Subdomain } from "./formats";
import { parseCidr, parseIp } from "./ip";
import { readMeta } from "./metadata";
import { invalidCidrDetail, invalidIpDetail } from "./service";
import type { ObjectSite } from "./site";

const addressTypes: readonly NodeAddress["type"][] = ["ExternalDNS", "ExternalIP", "Hostname", "InternalDNS", "InternalIP"];

export function readNode(site: ObjectSite, takenNames: ReadonlySet<string>): Node {
  const metadata = readMeta(site, { nameFormat: isDns1123Subdomain, namespaced: false, takenNames, kind: "Node" });
  const addresses: NodeAddress[] = [];
  const seen = new Set<string>();
  (site.list(["status", "addresses"], "[]v1.NodeAddress") ?? []).forEach((_, i) => {
    const type = site.string(["status", "addresses", i, "type"]) ?? "";
    const address = site.string(["status", "addresses", i, "address"]) ?? "";
    if (!(addressTypes as readonly string[]).includes(type)) {
      site.invalid(["status", "addresses", i, "type"], notSupportedMessage(type, addressTypes));
      return;
    }
    const key = `${type}/${address}`;
    if (seen.has(key)) site.invalid(["status", "addresses", i], duplicateMessage({ goSyntax: `core.NodeAddress{Type:"${type}", Address:"${address}"}` }));
    seen.add(key);
    if (type === "InternalIP" || type === "ExternalIP") {
      // The API server stores any string here, but kubelet only ever reports IPs and kube-proxy
      // parses them as IPs: a non-IP would silently drop out of the node's local addresses.
      const parsed = parseIp(address);
      if (parsed === null) site.invalid(["status", "addresses", i, "address"], invalidMessage(address, invalidIpDetail));
      else addresses.push({ type, address: parsed.text });
      return;
    }
    addresses.push({ type: type as NodeAddress["type"], address });
  });

  const podCIDRs: string[] = [];
  const given = site.stringList(["spec", "podCIDRs"]) ?? [];
  const legacy = site.string(["spec", "podCIDR"]);
  const cidrs = given.length === 0 && legacy !== undefined && legacy !== "" ? [legacy] : given;
  cidrs.forEach((text, i) => {
    const parsed = parseCidr(text);
    const path = given.length === 0 ? ["spec", "podCIDR"] : ["spec", "podCIDRs", i];
    if (parsed === null) site.invalid(path, invalidMessage(text, invalidCidrDetail), `spec.podCIDRs[${i}]`);
    else podCIDRs.push(parsed.text);
  });
  if (podCIDRs.length > 2 || (podCIDRs.length === 2 && podCIDRs[0]?.includes(":") === podCIDRs[1]?.includes(":"))) {
    site.invalid(["spec", "podCIDRs"], invalidMessage({ goSyntax: `[]string{${cidrs.map((c) => JSON.stringify(c)).join(", ")}}` }, "may specify no more than one CIDR for each IP family"));
  }
  return { kind: "Node", metadata, source: site.source, addresses, podCIDRs };
}
