import { useLabProgress } from "../lab/lab-progress";
import { useMachine } from "@xstate/react";
import { useEffect, useState } from "react";
import { clusterDnsMachine, NAMESERVERS, type ResolverField } from "../../machines/cluster-dns.machine";
import { EXAMPLE_NAMESPACES } from "../../sim/kube/dns/example";
import type { DnsAnswer } from "../../sim/kube/dns/lookup";
import { DNS_POLICIES, formatResolvConf, type DnsPolicy, type Nameserver } from "../../sim/kube/dns/resolv-conf";
import "../../styles/cluster-dns.css";

const SERVER_LABEL: Record<Nameserver, string> = {
  "kube-dns": "kube-dns Service IP (also NodeLocal DNSCache in its usual set-up)",
  "node-local-link-local": "NodeLocal DNSCache on 169.254.20.10",
  "cloud-dns": "Cloud DNS for GKE (metadata server)",
};

const LINK_KEYS = ["ns", "policy", "server", "name", "ndots", "hostnet"] as const;

const RESULT_LABEL = { answer: "answer — stop", nxdomain: "NXDOMAIN — next name", nodata: "NODATA — next name" } as const;

export interface ResolverStepperProps {
  /** Id of the lab on its page: its anchor is `lab-<labId>`, its URL keys `<labId>.ns`, `.policy`, `.server`, `.name`, `.ndots`. */
  readonly labId?: string;
  /** The name typed at first. */
  readonly name?: string;
  readonly namespace?: string;
  readonly dnsPolicy?: DnsPolicy;
}

function answerText(a: DnsAnswer): string {
  if (a.answers.length) return a.answers.map((r) => `${r.type} ${r.data}`).join(", ");
  return a.rcode === "NXDOMAIN" ? "NXDOMAIN (no such name)" : "NOERROR, no data";
}

/** Type a name, pick the Pod's namespace and dnsPolicy, and step through the queries its resolver sends. */
export default function ResolverStepper({ labId = "resolver", name, namespace, dnsPolicy }: ResolverStepperProps) {
  const [snapshot, send] = useMachine(clusterDnsMachine, { input: { name, namespace, dnsPolicy } });
  const c = snapshot.context;
  const [unknownKeys, setUnknownKeys] = useState<string[]>([]);
  // A link into the lab opens it on that name and Pod; read after hydration so server and client markup agree.
  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    const get = (k: string) => q.get(`${labId}.${k}`) ?? undefined;
    if (LINK_KEYS.some((k) => get(k) !== undefined)) {
      const hostnet = get("hostnet");
      send({ type: "LOAD", state: { namespace: get("ns"), dnsPolicy: get("policy"), nameserver: get("server"), nameText: get("name"), ndotsText: get("ndots"), ...(hostnet === "true" || hostnet === "false" ? { hostNetwork: hostnet === "true" } : {}) } });
    }
    const unknown = [...q.keys()].filter((k) => k.startsWith(`${labId}.`) && !(LINK_KEYS as readonly string[]).includes(k.slice(labId.length + 1)));
    const badHostnet = get("hostnet") !== undefined && !["true", "false", ""].includes(get("hostnet")!);
    if (unknown.length > 0 || badHostnet) setUnknownKeys([...unknown.map((k) => (k.length > 40 ? `${k.slice(0, 40)}…` : k)), ...(badHostnet ? [`${labId}.hostnet (true or false)`] : [])]);
  }, [labId, send]);
  const linkNotes = [
    ...c.linkProblems,
    ...(unknownKeys.length ? [`The link's ${unknownKeys.join(", ")} ${unknownKeys.length === 1 ? "is not a setting" : "are not settings"} this lab reads (${LINK_KEYS.map((k) => `${labId}.${k}`).join(", ")}); ignored.`] : []),
  ];
  const id = (s: string) => `${labId}-${s}`;
  const { conf, resolution, server, ndots } = c.lookup;
  const steps = resolution.steps;
  const shown = Math.min(c.shown, steps.length);
  const current = steps[shown - 1]!;
  const atEnd = shown === steps.length;
  useLabProgress(labId, shown - 1, steps.length);
  const onStepKey = (e: React.KeyboardEvent) => {
    const type = ({ ArrowRight: "STEP_FORWARD", ArrowLeft: "STEP_BACK", Home: "RESET", End: "SHOW_ALL" } as const)[e.key as "ArrowRight"];
    if (!type || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    send({ type });
  };
  const field = (f: ResolverField, label: string, value: string, hint: string) => {
    const error = c.errors[f];
    return (
      <label htmlFor={id(f)}>
        {label}
        <input id={id(f)} type="text" spellCheck={false} autoComplete="off" value={value} placeholder={hint}
          aria-invalid={error ? true : undefined} aria-describedby={error ? id(`${f}-error`) : undefined}
          onChange={(e) => send({ type: "CHANGE", field: f, text: e.target.value })} />
        {error && <span className="error" id={id(`${f}-error`)}>{error}</span>}
      </label>
    );
  };
  const dots = [...resolution.name].filter((ch) => ch === ".").length;
  const rule = resolution.name.endsWith(".")
    ? "It ends in a dot: an absolute name, sent as is and never through the search list."
    : dots >= ndots
      ? `${dots} dot${dots === 1 ? "" : "s"} ≥ ndots ${ndots}: sent as is first, then with each search domain.`
      : `${dots} dot${dots === 1 ? "" : "s"} < ndots ${ndots}: each search domain first, the name as is last.`;
  return (
    <section className="lab cluster-dns-lab" id={`lab-${labId}`} aria-labelledby={id("title")} data-pagefind-ignore="all">
      <h3 id={id("title")}>DNS resolver stepper</h3>
      {linkNotes.map((note) => <p key={note} className="error" role="alert">{note}</p>)}
      <div className="controls">
        {field("name", "Name the Pod looks up", c.nameText, "e.g. web, db-0.db, www.example.com")}
        <label htmlFor={id("ns")}>
          Pod's namespace
          <select id={id("ns")} value={c.namespace} onChange={(e) => send({ type: "SET_NAMESPACE", namespace: e.target.value })}>
            {EXAMPLE_NAMESPACES.map((ns) => <option key={ns} value={ns}>{ns}</option>)}
          </select>
        </label>
        <label htmlFor={id("policy")}>
          dnsPolicy
          <select id={id("policy")} value={c.dnsPolicy} onChange={(e) => send({ type: "SET_POLICY", dnsPolicy: e.target.value as DnsPolicy })}>
            {DNS_POLICIES.map((p) => <option key={p} value={p}>{p === "None" ? "None (with a dnsConfig)" : p}</option>)}
          </select>
        </label>
        <label htmlFor={id("server")}>
          Cluster DNS
          <select id={id("server")} value={c.nameserver} onChange={(e) => send({ type: "SET_NAMESERVER", nameserver: e.target.value as Nameserver })}>
            {NAMESERVERS.map((n) => <option key={n} value={n}>{SERVER_LABEL[n]}</option>)}
          </select>
        </label>
        {field("ndots", "ndots override (blank: the Pod's)", c.ndotsText, `${conf.ndots}`)}
        <label htmlFor={id("hostnet")} className="cluster-dns-check">
          <span><input id={id("hostnet")} type="checkbox" checked={c.hostNetwork} onChange={(e) => send({ type: "SET_HOST_NETWORK", hostNetwork: e.target.checked })} /> hostNetwork: true</span>
        </label>
      </div>

      <div className="cluster-dns-conf">
        <p className="meta">/etc/resolv.conf in the Pod (dnsPolicy {conf.effectivePolicy}{conf.effectivePolicy !== c.dnsPolicy ? `, applied for ${c.dnsPolicy} on a hostNetwork Pod` : ""}):</p>
        <pre tabIndex={0} aria-label="The Pod's resolv.conf">{formatResolvConf(conf) || "(empty)"}</pre>
        {conf.notes.map((n) => <p key={n} className="meta">{n}</p>)}
        {server === "node" && <p className="meta">These queries go to the node's resolver, which does not serve cluster.local in this model: cluster names fail.</p>}
        <p>{rule}</p>
      </div>

      <div className="stepper" role="group" aria-label="Step through the queries" onKeyDown={onStepKey}>
        {/* aria-disabled, not disabled: a focused button that became disabled would drop focus, and the arrow keys with it. */}
        <button type="button" aria-keyshortcuts="Home" onClick={() => send({ type: "RESET" })} aria-disabled={shown === 1}>« First</button>
        <button type="button" aria-keyshortcuts="ArrowLeft" onClick={() => send({ type: "STEP_BACK" })} aria-disabled={shown === 1}>‹ Back</button>
        <button type="button" aria-keyshortcuts="ArrowRight" className="primary" onClick={() => send({ type: "STEP_FORWARD" })} aria-disabled={atEnd}>Next query ›</button>
        <button type="button" aria-keyshortcuts="End" onClick={() => send({ type: "SHOW_ALL" })} aria-disabled={atEnd}>All »</button>
        <span className="position">Name {shown} of {steps.length} sent</span>
      </div>

      <p aria-live="polite" className="cluster-dns-now">
        <strong>{current.id}:</strong> {current.name} — A: {answerText(current.a)}; AAAA: {answerText(current.aaaa)}. <span className={`cluster-dns-verdict ${current.result}`}>{RESULT_LABEL[current.result]}</span>
      </p>

      <ol className="cluster-dns-queries" aria-label="Queries, in the order sent">
        {resolution.candidates.map((cand, i) => {
          const step = steps[i];
          const sent = step !== undefined && i < shown;
          return (
            <li key={cand} className={sent ? `sent ${step.result}` : "unsent"} aria-current={i === shown - 1 ? "step" : undefined}>
              <code>{cand}</code>{" "}
              {sent ? (
                <span className="cluster-dns-verdict">{RESULT_LABEL[step.result]}{step.result === "answer" ? `: ${[...step.a.answers, ...step.aaaa.answers].map((r) => `${r.type} ${r.data}`).join(", ")}` : ""}</span>
              ) : (
                <span className="muted">{step === undefined ? "never sent: the search stopped earlier" : "not sent yet"}</span>
              )}
            </li>
          );
        })}
      </ol>

      {atEnd && (
        <div className={`outcome ${resolution.outcome.found ? "" : "outcome-bad"}`}>
          <p>
            <span className="outcome-label">Result: </span>
            <strong className="outcome-status">{resolution.outcome.found ? "resolved" : "not found"}</strong>{" "}
            {resolution.outcome.found
              ? `${resolution.outcome.name} → ${resolution.outcome.addresses.join(", ")}, after ${steps.length} name${steps.length === 1 ? "" : "s"} (${steps.length * 2} queries: each name is asked for A and AAAA together).`
              : `every candidate failed; getaddrinfo returns EAI_NONAME after ${steps.length * 2} queries.`}
          </p>
        </div>
      )}
      <p className="meta small">The cluster: shop/web (ClusterIP 10.96.120.15, port http), shop/db (headless: db-0, db-1), shop/payments (ExternalName → api.example.com), default/kubernetes, kube-system/kube-dns. Outside names come from a small upstream table (www.example.com, example.com, api.example.com, metadata.google.internal). The stepper follows glibc; musl (Alpine) stops searching once a name has ndots dots.</p>
    </section>
  );
}
