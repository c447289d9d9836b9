/**
 * The matrix lab's pasted policies → a cluster or the problems at their lines. Loaded on demand (it
 * brings the YAML parser and the manifest loader), the first time a learner edits the policies.
 */
import { ManifestError } from "../manifest/index";
import { loadPolicyCluster, type PolicyCluster } from "./load";
import { policyPods } from "./presets";

export interface PolicyProblem {
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
}

export type ParsedPolicies = { readonly cluster: PolicyCluster } | { readonly problems: readonly PolicyProblem[] };

const POD_FILE = "pods.yaml";
const POLICY_FILE = "policies.yaml";

export function parsePolicies(text: string): ParsedPolicies {
  try {
    return { cluster: loadPolicyCluster([{ name: POD_FILE, text: policyPods }, { name: POLICY_FILE, text }]) };
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    // A problem in the lab's own Pods file can only come from pasted YAML redefining one of its Pods.
    return { problems: error.problems.map((p) => (p.file === POLICY_FILE ? { line: p.line, column: p.column, path: p.path, message: p.message }
      : { line: 1, column: 1, path: p.path, message: `${p.message} (in the lab's Pods)` })) };
  }
}
