/**
 * Objects in, one routing decision out: runs the Ingress or the Gateway matcher for one request. Reading the
 * objects from YAML is `load.ts` (kept apart so a lab can start from parsed presets without the YAML parser).
 */
import { InputError } from "../../net/errors";
import type { RouteDecision, RouteModel } from "./decision";
import { matchGateway } from "./gateway";
import type { Gateway, GatewayClass, HttpRoute, NamespaceObject, ReferenceGrant } from "./gateway-read";
import { matchIngress, type KnownService } from "./ingress";
import type { Ingress } from "./ingress-read";
import type { RouteRequest } from "./request";

export interface L7Objects {
  readonly ingresses: readonly Ingress[];
  readonly gateways: readonly Gateway[];
  readonly classes: readonly GatewayClass[];
  readonly routes: readonly HttpRoute[];
  readonly grants: readonly ReferenceGrant[];
  readonly namespaces: readonly NamespaceObject[];
  /** The Services given, or null when none were (then backends are not checked). */
  readonly services: readonly KnownService[] | null;
  readonly warnings: readonly string[];
}

export interface RouteOptions {
  readonly seed?: number;
  readonly model?: RouteModel | null;
  /** Which front door when the input has both an Ingress and a Gateway. */
  readonly via?: "ingress" | "gateway";
  /** `NAMESPACE/NAME` (or `NAME` in default) of the Gateway when there are several. */
  readonly gateway?: string;
}

/** Runs the matcher the objects call for. @throws InputError when there is nothing to route with, or the choice is ambiguous */
export function routeObjects(objects: L7Objects, request: RouteRequest, options: RouteOptions = {}): RouteDecision {
  const ctx = { seed: options.seed ?? 0, model: options.model ?? null, services: objects.services };
  const hasIngress = objects.ingresses.length > 0;
  const hasGateway = objects.gateways.length > 0;
  if (!hasIngress && !hasGateway) {
    throw new InputError("manifests", objects.routes.length > 0 ? "HTTPRoutes need the Gateway they attach to: add the Gateway object" : "no Ingress or Gateway to route with: give an Ingress, or a Gateway and its HTTPRoutes");
  }
  let via = options.via;
  if (via === undefined) {
    if (hasIngress && hasGateway) throw new InputError("--via", "the input has both an Ingress and a Gateway, two different load balancers: say which one the request reaches with --via ingress or --via gateway");
    via = hasGateway ? "gateway" : "ingress";
  }
  if (via === "ingress") {
    if (!hasIngress) throw new InputError("--via ingress", "there is no Ingress in the input");
    return matchIngress(objects.ingresses, request, ctx);
  }
  if (!hasGateway) throw new InputError("--via gateway", "there is no Gateway in the input");
  let gateway = objects.gateways[0]!;
  if (options.gateway !== undefined) {
    const [ns, name] = options.gateway.includes("/") ? options.gateway.split("/", 2) as [string, string] : ["default", options.gateway];
    const found = objects.gateways.find((g) => g.namespace === ns && g.name === name);
    if (found === undefined) throw new InputError(options.gateway, `no Gateway ${ns}/${name}; the input has ${objects.gateways.map((g) => `${g.namespace}/${g.name}`).join(", ")}`);
    gateway = found;
  } else if (objects.gateways.length > 1) {
    throw new InputError("--gateway", `the input has ${objects.gateways.length} Gateways (${objects.gateways.map((g) => `${g.namespace}/${g.name}`).join(", ")}): name the one the request reaches with --gateway NAMESPACE/NAME`);
  }
  return matchGateway({ gateway, classes: objects.classes, routes: objects.routes, grants: objects.grants, namespaces: objects.namespaces }, request, ctx);
}
