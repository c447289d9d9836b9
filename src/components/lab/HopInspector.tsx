import { describeEvent, diffPackets, LEG_NAMES, site, type Hop } from "../../sim/index";
import { EVENT_NAMES, KIND_NAMES } from "./labels";

/**
 * One hop in detail: what happened there, and the packet as it arrived and as it left with every
 * field the device changed, added or removed marked — the header diff.
 */
export function HopInspector({ hop, index, labId }: { hop: Hop; index: number; labId: string }) {
  const changes = diffPackets(hop.in, hop.out);
  const changedCount = changes.filter((c) => c.change !== "same").length;
  return (
    <div className="inspector">
      <h4>
        {index + 1}. {hop.device.name}
      </h4>
      <p className="meta">
        {KIND_NAMES[hop.device.kind]} · {site(hop.device.location).name} · leg {hop.leg}: {LEG_NAMES[hop.leg]} ·{" "}
        {hop.direction === "request" ? "request" : "response"} · +{hop.timeMs.toFixed(3)} ms
        {hop.propagationMs > 0 ? ` (${hop.propagationMs.toFixed(3)} ms in fibre)` : ""}
      </p>
      <ul className="events">
        {hop.events.map((event, i) => (
          <li key={i}>
            <code title={EVENT_NAMES[event.type]}>{event.type}</code> {describeEvent(event)}
          </li>
        ))}
      </ul>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={`Packet headers in and out of hop ${index + 1} (${labId} lab)`}>
        <table className="diff">
          <caption className="visually-hidden">
            Packet headers in and out of this hop; {changedCount} field{changedCount === 1 ? "" : "s"} differ.
          </caption>
          <thead>
            <tr>
              <th scope="col">Layer</th>
              <th scope="col">Field</th>
              <th scope="col">In</th>
              <th scope="col">Out</th>
            </tr>
          </thead>
          <tbody>
            {hop.in === null && (
              <tr>
                <td colSpan={4} className="tag">Created here: nothing arrived</td>
              </tr>
            )}
            {changes.map((c) => (
              <tr key={`${c.layer}.${c.field}.${c.change}`} className={c.change}>
                <td>{c.layer}</td>
                <td>{c.field}</td>
                <td className="before">{c.change === "added" ? (hop.in ? "—" : "") : c.change === "same" ? c.value : c.before}</td>
                <td className="after">
                  {c.change === "removed" ? "—" : c.value}
                  {c.change !== "same" && hop.in !== null && <span className="tag"> ({c.change})</span>}
                </td>
              </tr>
            ))}
            {hop.out === null && (
              <tr>
                <td colSpan={4} className="tag">Consumed here: nothing leaves</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
