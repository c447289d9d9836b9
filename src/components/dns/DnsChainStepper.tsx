import { useMachine } from "@xstate/react";
import { useEffect, useState } from "react";
import { dnsChainMachine } from "../../machines/dns-chain.machine";
import { DNS_SIMPLIFICATIONS, formatDigMessage, type DnsChainStep, type DnsSetup, type ResolverCache } from "../../sim/edge/dns-chain";
import "../../styles/dns.css";

const SETUPS: { value: DnsSetup; label: string }[] = [
  { value: "proxied", label: "Cloudflare, proxied (orange cloud)" },
  { value: "dns-only", label: "Cloudflare, DNS only (grey cloud)" },
  { value: "cloud-dns", label: "Cloud DNS, no Cloudflare" },
];
const CACHES: { value: ResolverCache; label: string }[] = [
  { value: "cold", label: "Cold (just started)" },
  { value: "warm", label: "Warm (delegations cached)" },
  { value: "hot", label: "Hot (this answer cached)" },
];
const OUTCOME_LABEL: Record<DnsChainStep["outcome"], string> = {
  query: "query", priming: "priming answer", referral: "referral", answer: "answer", "from-cache": "answer from cache",
};

export interface DnsChainStepperProps {
  /** Id of the lab on its page: its anchor is `lab-<labId>`. */
  readonly labId?: string;
  readonly setup?: DnsSetup;
  readonly cache?: ResolverCache;
  readonly qmin?: boolean;
}

/** Step through a resolver's lookup of www.example.com, message by message. */
export default function DnsChainStepper({ labId = "dns-chain", setup, cache, qmin }: DnsChainStepperProps) {
  const [snapshot, send] = useMachine(dnsChainMachine, { input: { setup, cache, qmin } });
  // Arrow keys, Home and End step the lookup while focus is on the stepper or the message list.
  const onStepKey = (e: React.KeyboardEvent) => {
    const type = ({ ArrowRight: "NEXT", ArrowLeft: "PREV", Home: "FIRST", End: "LAST" } as const)[e.key as "ArrowRight"];
    if (!type || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    send({ type });
  };
  const [unknownKeys, setUnknownKeys] = useState<string[]>([]);
  // A link into the lab (`?dns-chain.setup=dns-only&dns-chain.step=authoritative#lab-dns-chain`) opens it there;
  // read after hydration, so the server's markup (the props' settings) and the first client render agree.
  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    const get = (k: string) => q.get(`${labId}.${k}`);
    if (["setup", "cache", "qmin", "step"].some((k) => get(k) !== null)) {
      send({ type: "LOAD_STATE", setup: get("setup"), cache: get("cache"), qmin: get("qmin"), step: get("step") });
    }
    const unknown = [...q.keys()].filter((k) => k.startsWith(`${labId}.`) && !["setup", "cache", "qmin", "step"].includes(k.slice(labId.length + 1)));
    if (unknown.length > 0) setUnknownKeys(unknown.map((k) => (k.length > 40 ? `${k.slice(0, 40)}…` : k)));
  }, [labId, send]);
  const linkNotes = [
    ...snapshot.context.linkProblems,
    ...(unknownKeys.length ? [`The link's ${unknownKeys.join(", ")} ${unknownKeys.length === 1 ? "is not a setting" : "are not settings"} of this lab (it reads ${labId}.setup, .cache, .qmin and .step); ignored.`] : []),
  ];
  const { chain, cursor, input } = snapshot.context;
  const step = chain.steps[cursor]!;
  const total = chain.steps.length;
  const id = (s: string) => `${labId}-${s}`;
  const atEnd = cursor === total - 1;
  return (
    <section className="lab dns-lab" id={`lab-${labId}`} aria-labelledby={id("title")}>
      <h3 id={id("title")}>DNS chain: resolving www.example.com</h3>
      {linkNotes.map((note) => (
        <p key={note} className="error" role="alert">{note}</p>
      ))}
      <div className="dns-controls">
        <fieldset>
          <legend>Where the name is published</legend>
          {SETUPS.map((o) => (
            <label key={o.value}>
              <input type="radio" name={id("setup")} value={o.value} checked={input.setup === o.value} onChange={() => send({ type: "SET_SETUP", setup: o.value })} />
              {o.label}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Resolver's cache</legend>
          {CACHES.map((o) => (
            <label key={o.value}>
              <input type="radio" name={id("cache")} value={o.value} checked={input.cache === o.value} onChange={() => send({ type: "SET_CACHE", cache: o.value })} />
              {o.label}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Resolver behaviour</legend>
          <label>
            <input type="checkbox" checked={input.qnameMinimisation} onChange={(e) => send({ type: "SET_QMIN", on: e.target.checked })} />
            QNAME minimisation (RFC 9156)
          </label>
        </fieldset>
      </div>

      <div className="stepper" role="group" aria-label="Step through the lookup" onKeyDown={onStepKey}>
        <button type="button" aria-keyshortcuts="Home" onClick={() => send({ type: "FIRST" })} disabled={cursor === 0}>« Start</button>
        <button type="button" aria-keyshortcuts="ArrowLeft" onClick={() => send({ type: "PREV" })} disabled={cursor === 0}>‹ Back</button>
        <button type="button" aria-keyshortcuts="ArrowRight" className="primary" onClick={() => send({ type: "NEXT" })} disabled={atEnd}>Next ›</button>
        <button type="button" aria-keyshortcuts="End" onClick={() => send({ type: "LAST" })} disabled={atEnd}>End »</button>
        <span className="position">Step {cursor + 1} of {total}</span>
      </div>

      <div className="dns-body">
        <ol className="dns-steps" aria-label="Messages" onKeyDown={onStepKey}>
          {chain.steps.map((s, i) => (
            <li key={s.id}>
              <button type="button" aria-current={i === cursor ? "step" : undefined} onClick={() => send({ type: "GOTO", index: i })}>
                <span className="dns-step-n">{i + 1}.</span> {s.from.name} → {s.to.name}
                <span className="dns-kind"> {OUTCOME_LABEL[s.outcome]}</span>
              </button>
            </li>
          ))}
        </ol>

        <div className="dns-detail">
          <p aria-live="polite" className="dns-now">
            <strong>Step {cursor + 1} of {total}:</strong> {step.from.name} ({step.from.ip}) → {step.to.name} ({step.to.ip}), {OUTCOME_LABEL[step.outcome]}.
          </p>
          <p>{step.note}</p>
          <p className="meta">{step.to.name} is run by {step.to.operator}.</p>
          {step.query && (
            <p>
              Question: <code>{step.query.question.name} IN {step.query.question.type}</code>
              {step.query.flags.includes("rd") ? " (recursion desired)" : " (iterative: no recursion asked)"}
            </p>
          )}
          {step.response && (
            <pre className="dns-dig" tabIndex={0} aria-label={`Response from ${step.from.role === "resolver" && step.to.role === "stub" ? step.from.name : step.to.name}, as dig prints it`}>
              {formatDigMessage(step.response)}
            </pre>
          )}
        </div>
      </div>

      <div className={`dns-outcome ${chain.originInDns ? "dns-outcome-exposed" : ""}`}>
        <p>
          <span className="dns-label">Browser connects to: </span>
          <strong>{chain.connectsTo.ip}</strong> — {chain.connectsTo.network} (AS{chain.connectsTo.asn}).
        </p>
        <p>
          <span className="dns-label">Origin address in DNS: </span>
          <strong>{chain.originInDns ? "exposed" : "hidden"}</strong>
          {chain.originInDns
            ? " — anyone who looks the name up learns the load balancer's address."
            : " — DNS gives out only Cloudflare's address; the load balancer still accepts anyone who learns its address some other way, unless it is restricted to Cloudflare."}
        </p>
        <p>
          <span className="dns-label">Resolver queries: </span>
          <strong>{chain.resolverQueries}</strong>
          {chain.skipped.length > 0 && <> (skipped: {chain.skipped.join("; ")})</>}
        </p>
        <p className="meta">
          Registrar's part, done beforehand: the domain's nameservers are {chain.delegation.nameservers.join(", ")}. {chain.delegation.note}
        </p>
      </div>
      <details className="dns-simplified">
        <summary>What this model leaves out</summary>
        <ul>
          {DNS_SIMPLIFICATIONS.map((s) => <li key={s}>{s}</li>)}
        </ul>
      </details>
    </section>
  );
}
