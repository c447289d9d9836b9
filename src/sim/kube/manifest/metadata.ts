/**
 * metadata as ValidateObjectMeta (k8s.io/apimachinery/pkg/api/validation/objectmeta.go) checks it:
 * a name in the kind's format (or a generateName the server completes), a DNS-1123-label namespace
 * defaulted to "default" the way kubectl sends it for namespaced kinds, and well-formed labels.
 */
import type { ObjectMeta } from "../model";
import { forbiddenMessage, invalidMessage, requiredMessage, type FieldPath } from "./field-path";
import { isDns1123Label, isQualifiedName, isValidLabelValue } from "./formats";
import { generateName } from "./naming";
import type { ObjectSite } from "./site";

export interface MetaOptions {
  /** The kind's name format: DNS-1035 label for Services, DNS-1123 subdomain for the rest. */
  readonly nameFormat: (name: string) => string[];
  readonly namespaced: boolean;
  /** Names already used by this kind, so a generated name does not collide. */
  readonly takenNames: ReadonlySet<string>;
  readonly kind: string;
}

export function readMeta(site: ObjectSite, options: MetaOptions): ObjectMeta {
  site.onlyFields(["metadata"], [
    "name", "generateName", "namespace", "labels", "annotations", "uid", "resourceVersion", "generation",
    "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences", "finalizers",
    "managedFields", "selfLink",
  ]);
  let name = site.string(["metadata", "name"]) ?? "";
  const generate = site.string(["metadata", "generateName"]) ?? "";
  const namespace = options.namespaced ? site.string(["metadata", "namespace"]) ?? "default" : "";
  const labels = site.stringMap(["metadata", "labels"]) ?? {};

  if (name === "" && generate !== "") {
    // The registry's BeforeCreate fills name from generateName before validation runs; validation
    // then checks the prefix with the same format (trailing dashes allowed).
    for (const message of options.nameFormat(generate.replace(/-+$/, "") || "a")) {
      site.invalid(["metadata", "generateName"], invalidMessage(generate, message));
    }
    name = generateName(generate, `${options.kind}/${namespace}/${generate}`, options.takenNames);
  } else if (name === "") {
    site.invalid(["metadata", "name"], requiredMessage("name or generateName is required"));
  } else {
    for (const message of options.nameFormat(name)) site.invalid(["metadata", "name"], invalidMessage(name, message));
  }

  if (options.namespaced) {
    if (namespace === "") site.invalid(["metadata", "namespace"], requiredMessage());
    for (const message of isDns1123Label(namespace)) {
      if (namespace !== "") site.invalid(["metadata", "namespace"], invalidMessage(namespace, message));
    }
  } else if (site.get(["metadata", "namespace"]) !== undefined && site.get(["metadata", "namespace"]) !== "") {
    // The API server drops a namespace on a cluster-scoped object before validating; say so rather
    // than silently ignore what the learner wrote.
    site.warn(["metadata", "namespace"], forbiddenMessage(`${options.kind} is cluster-scoped; the namespace is ignored`));
  }

  validateLabels(site, ["metadata", "labels"], labels);
  return { name, namespace, labels };
}

/** metav1validation.ValidateLabels: a bad key is reported on the map, a bad value on its key. */
export function validateLabels(site: ObjectSite, path: FieldPath, labels: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(labels)) {
    for (const message of isQualifiedName(key)) site.invalid(path, invalidMessage(key, message));
    for (const message of isValidLabelValue(value)) site.invalid([...path, { key }], invalidMessage(value, message));
  }
}
