import { site, type Hop, type Trace } from "../../sim/index";
import { SHORT_NAMES } from "./labels";

interface Props {
  trace: Trace;
  current: Hop | null;
  /** Device ids this lab focuses on (its legs); others are drawn faintly for context. */
  inScope: ReadonlySet<string>;
}

const BOX_W = 84;
const GAP = 22;
const TOP = 34;

/**
 * The journey as a row of devices with the packet drawn on the one it is at: blue on the way in,
 * orange on the way back. Sites are labelled under their devices so the long hops stand out.
 */
export function Topology({ trace, current, inScope }: Props) {
  const devices: Hop["device"][] = [];
  for (const hop of trace.hops) if (!devices.some((d) => d.id === hop.device.id)) devices.push(hop.device);
  const width = devices.length * (BOX_W + GAP) + GAP;
  const x = (i: number) => GAP + i * (BOX_W + GAP);
  const at = current ? devices.findIndex((d) => d.id === current.device.id) : -1;
  const description = current
    ? `Journey of ${devices.length} devices; the packet is at ${current.device.name}, ${current.direction === "request" ? "on the way in" : "on the way back"}.`
    : `Journey of ${devices.length} devices.`;
  return (
    <svg className="topology" viewBox={`0 0 ${width} 104`} role="img" aria-label={description}>
      {devices.slice(1).map((d, i) => (
        <line key={`l-${d.id}`} className="link" x1={x(i) + BOX_W} y1={TOP + 16} x2={x(i + 1)} y2={TOP + 16} />
      ))}
      {devices.map((d, i) => {
        const showSite = i === 0 || devices[i - 1]!.location !== d.location;
        return (
          <g key={d.id} className={`device${inScope.has(d.id) ? " in-scope" : ""}${i === at ? " current" : ""}`}>
            <rect x={x(i)} y={TOP} width={BOX_W} height={32} rx={5} />
            <text x={x(i) + BOX_W / 2} y={TOP + 20} textAnchor="middle">
              {SHORT_NAMES[d.id] ?? d.kind}
            </text>
            {showSite && (
              <text className="site-label" x={x(i)} y={TOP + 50}>
                {site(d.location).name}
              </text>
            )}
          </g>
        );
      })}
      {at >= 0 && current && (
        <g className={`packet ${current.direction}`} style={{ transform: `translateX(${x(at) + BOX_W / 2}px)` }}>
          <circle cx={0} cy={TOP - 12} r={8} />
          <text x={0} y={TOP - 24} textAnchor="middle" aria-hidden="true">
            {current.direction === "request" ? "→" : "←"}
          </text>
        </g>
      )}
    </svg>
  );
}
