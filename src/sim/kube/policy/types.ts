/**
 * networking.k8s.io/v1 NetworkPolicy as the model holds it after reading and defaulting, and the
 * namespaces whose labels a `namespaceSelector` is matched against.
 */
import type { Protocol, SourceRef } from "../model";

/** metav1.LabelSelectorRequirement. */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values: readonly string[];
}

/** metav1.LabelSelector: every matchLabels pair AND every requirement must hold; `{}` selects everything. */
export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly SelectorRequirement[];
}

/**
 * One entry of `from` / `to`. Selectors in ONE entry are ANDed (Pods matching podSelector inside
 * namespaces matching namespaceSelector); separate entries are ORed.
 */
export type PolicyPeer =
  | { readonly kind: "selectors"; readonly podSelector: LabelSelector | null; readonly namespaceSelector: LabelSelector | null }
  | { readonly kind: "ipBlock"; readonly cidr: string; readonly except: readonly string[] };

export interface PolicyPort {
  /** Defaulted to TCP by the API server when omitted. */
  readonly protocol: Protocol;
  /** A number, a named container port, or null (every port of the protocol). */
  readonly port: number | string | null;
  /** The last port of a range starting at `port`; null when not a range. */
  readonly endPort: number | null;
}

/** One ingress or egress rule: `peers` null when from/to is omitted or empty (any peer); `ports` empty: any port. */
export interface PolicyRule {
  readonly peers: readonly PolicyPeer[] | null;
  readonly ports: readonly PolicyPort[];
}

export type PolicyType = "Ingress" | "Egress";

export interface NetworkPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly source?: SourceRef;
  readonly podSelector: LabelSelector;
  /** After defaulting: Ingress always, Egress only when the spec has egress rules, unless given. */
  readonly policyTypes: readonly PolicyType[];
  /** Whether policyTypes was written in the manifest (the trace says when it was defaulted). */
  readonly policyTypesGiven: boolean;
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
}

/** A v1 Namespace's name and labels (the API server adds kubernetes.io/metadata.name itself). */
export interface NamespaceLabels {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}
