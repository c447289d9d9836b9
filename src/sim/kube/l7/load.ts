/**
 * Manifests in: reads Ingress and Gateway API objects (and any Services, to check backends) with
 * `loadManifests`, and routes one request through them.
 */
import { loadManifests, type ManifestFile } from "../manifest/index";
import type { RouteDecision } from "./decision";
import { GATEWAY_KINDS, type Gateway, type GatewayClass, type HttpRoute, type NamespaceObject, type ReferenceGrant } from "./gateway-read";
import { INGRESS_KIND, type Ingress } from "./ingress-read";
import type { RouteRequest } from "./request";
import { routeObjects, type L7Objects, type RouteOptions } from "./route";

export const L7_KINDS = { Ingress: INGRESS_KIND, ...GATEWAY_KINDS } as const;

/**
 * @throws ManifestError with every YAML or validation problem at file:line:column
 */
export function loadL7(files: readonly ManifestFile[]): L7Objects {
  const { state, extra, warnings } = loadManifests(files, { kinds: L7_KINDS, needNode: false });
  const services = state.services.map((s) => ({ namespace: s.metadata.namespace, name: s.metadata.name, ports: s.ports.map((p) => ({ name: p.name, port: p.port })) }));
  return {
    ingresses: (extra["Ingress"] ?? []) as Ingress[],
    gateways: (extra["Gateway"] ?? []) as Gateway[],
    classes: (extra["GatewayClass"] ?? []) as GatewayClass[],
    routes: (extra["HTTPRoute"] ?? []) as HttpRoute[],
    grants: (extra["ReferenceGrant"] ?? []) as ReferenceGrant[],
    namespaces: (extra["Namespace"] ?? []) as NamespaceObject[],
    services: services.length > 0 ? services : null,
    warnings: warnings.map((w) => `${w.file}:${w.line}:${w.column}: ${w.path ? `${w.path}: ` : ""}${w.message}`),
  };
}

export function routeManifests(files: readonly ManifestFile[], request: RouteRequest, options: RouteOptions = {}): RouteDecision & { readonly warnings: readonly string[] } {
  const objects = loadL7(files);
  return { ...routeObjects(objects, request, options), warnings: objects.warnings };
}
