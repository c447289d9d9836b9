import { useMachine } from "@xstate/react";
import { addressExplorerMachine, type Field } from "../../machines/address-explorer.machine";

const FIELDS: { field: Field; label: string; hint: string; key: "rangeText" | "nodePrefixText" | "addressText" }[] = [
  { field: "range", label: "Cluster Pod range (CIDR)", hint: "e.g. 10.4.0.0/14", key: "rangeText" },
  { field: "nodePrefix", label: "Range per node", hint: "/23 to /28", key: "nodePrefixText" },
  { field: "address", label: "Address to place", hint: "e.g. 10.4.1.5", key: "addressText" },
];

const SCOPE_NOTES: Record<string, string> = {
  private: "a private address (RFC 1918): routable inside the VPC, never on the internet",
  public: "a public address: this is what the internet routes",
  documentation: "reserved for documentation (RFC 5737)",
  "shared-cgnat": "carrier-grade NAT space (RFC 6598)",
  loopback: "loopback: never leaves the host",
  "link-local": "link-local: valid only on one network segment (the metadata server lives here)",
};

/** Type a Pod range and an address; see how GKE carves the range into per-node blocks. */
export default function PodRangeExplorer() {
  const [snapshot, send] = useMachine(addressExplorerMachine, { input: {} });
  const { context } = snapshot;
  const r = context.result;
  return (
    <section className="lab" aria-labelledby="pod-range-title">
      <h3 id="pod-range-title">Pod range explorer</h3>
      <div className="controls">
        {FIELDS.map(({ field, label, hint, key }) => {
          const error = context.errors[field];
          const id = `pod-range-${field}`;
          return (
            <label key={field} htmlFor={id}>
              {label}
              <input
                id={id}
                type="text"
                spellCheck={false}
                autoComplete="off"
                value={context[key]}
                placeholder={hint}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                onChange={(e) => send({ type: "CHANGE", field, text: e.target.value })}
              />
              {error && (
                <span className="error" id={`${id}-error`}>
                  {error}
                </span>
              )}
            </label>
          );
        })}
      </div>
      <div aria-live="polite">
        {r ? (
          <ul>
            <li>
              {r.range}: {r.rangeSize.toLocaleString("en")} addresses, {r.nodeRanges.toLocaleString("en")} node ranges of up to{" "}
              {r.podsPerNode} Pods each.
            </li>
            {r.address && (
              <li>
                {r.address} is {SCOPE_NOTES[r.scope ?? "public"]}.{" "}
                {r.nodeRange
                  ? `It belongs to node range #${r.nodeIndex! + 1}, ${r.nodeRange}: the VPC routes it to whichever node VM holds that alias range.`
                  : "It is outside this cluster's Pod range."}
              </li>
            )}
          </ul>
        ) : (
          <p className="meta">Fix the highlighted field to see the result.</p>
        )}
      </div>
    </section>
  );
}
