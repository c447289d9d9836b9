import { useEffect, useRef, type MouseEvent } from "react";
import { prefersReducedMotion } from "../steplab/keys";
import { OWNERS, type JourneyMap as MapData, type MapNode } from "../../sim/scenarios/journey-view";

interface Props {
  map: MapData;
  /** The device the cursor is at, and which way the packet is going. */
  at: { readonly device: string; readonly direction: "request" | "response" } | null;
  /** Devices this lab is about (its legs); the others are drawn faintly, for context. */
  inScope: ReadonlySet<string>;
  /** A device was clicked: go to its step in this direction (or the other, when it has none). */
  onPick: (stepId: string) => void;
  /** The lab's title: the scrolling region's name must be unique on the page. */
  labTitle: string;
}

const BOX_W = 76;
const GAP = 16;
const BAND_Y = 4;
const BOX_Y = 30;
const BOX_H = 30;
const x = (i: number) => GAP + i * (BOX_W + GAP);

/**
 * The journey as a strip of every device it can visit, always at the same scale: bands say who owns
 * each part (the user's ISP, Cloudflare, Google's edge, your VPC); marks say where TLS ends and where
 * an anycast route is chosen; the long-haul link carries its distance and time; devices this trace
 * does not visit are drawn dashed, "not on this path". A device is clicked to go to its step — the
 * step list does the same from the keyboard, so the picture itself holds no tab stops.
 */
export function JourneyMap({ map, at, inScope, onPick, labTitle }: Props) {
  const { nodes, links } = map;
  const width = x(nodes.length);
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const current = at ? (index.get(at.device) ?? -1) : -1;
  const bands = OWNERS.map((o) => {
    const members = nodes.map((n, i) => ({ n, i })).filter(({ n }) => n.owner === o.id);
    return { ...o, from: members[0]?.i ?? 0, to: members.at(-1)?.i ?? 0 };
  });
  const describe = () => {
    const onPath = nodes.filter((n) => n.onPath).map((n) => n.short);
    const where = at && current >= 0 ? ` The packet is at ${nodes[current]!.name}, ${at.direction === "request" ? "on the way in" : "on the way back"}.` : "";
    const tls = nodes.filter((n) => n.tlsEnds).map((n) => n.short);
    const long = links.filter((l) => l.longHaul).map((l) => `${nodes[index.get(l.from)!]!.short} to ${nodes[index.get(l.to)!]!.short}, ${l.km.toLocaleString("en")} km, ${l.ms.toFixed(1)} ms`);
    return `The path: ${onPath.join(", ")}.${tls.length ? ` TLS ends at ${tls.join(" and ")}.` : ""}${long.length ? ` Long haul: ${long.join("; ")}.` : ""}${where}`;
  };
  // On a narrow screen the strip scrolls: keep the packet's device in view.
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = scroller.current;
    if (!box || current < 0 || box.scrollWidth <= box.clientWidth) return;
    const scale = box.scrollWidth / width;
    const centre = (x(current) + BOX_W / 2) * scale;
    const left = Math.max(0, Math.min(centre - box.clientWidth / 2, box.scrollWidth - box.clientWidth));
    if (Math.abs(left - box.scrollLeft) > 1) box.scrollTo({ left, behavior: prefersReducedMotion() ? "auto" : "smooth" });
  }, [current, width]);
  const pick = (event: MouseEvent<SVGSVGElement>) => {
    const id = (event.target as Element).closest<SVGGElement>("[data-device]")?.dataset.device;
    const node = nodes.find((n) => n.id === id);
    if (!node) return;
    const wanted = at?.direction === "response" ? node.steps.response ?? node.steps.request : node.steps.request ?? node.steps.response;
    if (wanted) onPick(wanted);
  };
  const showPlace = (n: MapNode, i: number) => n.place !== null && (i === 0 || nodes.slice(0, i).filter((m) => m.place !== null).at(-1)?.place !== n.place);
  return (
    // The strip keeps one scale, so on a narrow screen it scrolls sideways: a tab stop, so that
    // keyboard users can scroll it too.
    <div className="journey-map-scroll" ref={scroller} tabIndex={0} role="region" aria-label={`The journey, device by device: ${labTitle}`}>
      <svg className="journey-map" viewBox={`0 0 ${width} 118`} role="img" aria-label={describe()} onClick={pick}>
        {bands.map((b) => (
          <g key={b.id} className={`band band-${b.id}`}>
            <rect x={x(b.from) - GAP / 2 + 1} y={BAND_Y} width={x(b.to) + BOX_W - x(b.from) + GAP - 2} height={104} rx={6} />
            <text x={x(b.from) - GAP / 2 + 7} y={BAND_Y + 13}>{b.name}</text>
          </g>
        ))}
        {links.map((l) => {
          const a = index.get(l.from)!;
          const b = index.get(l.to)!;
          const x1 = x(a) + BOX_W;
          const x2 = x(b);
          return (
            <g key={`${l.from}-${l.to}`} className={`link${l.longHaul ? " long-haul" : ""}`}>
              <line x1={x1} y1={BOX_Y + BOX_H / 2} x2={x2} y2={BOX_Y + BOX_H / 2} />
              {l.longHaul && (
                <text x={(x1 + x2) / 2} y={BOX_Y + BOX_H + 40} textAnchor="middle">
                  {`${l.km.toLocaleString("en")} km · ${l.ms.toFixed(1)} ms`}
                </text>
              )}
            </g>
          );
        })}
        {nodes.map((n, i) => (
          <g
            key={n.id}
            data-device={n.onPath ? n.id : undefined}
            className={`device${n.onPath ? "" : " off-path"}${inScope.has(n.id) ? " in-scope" : ""}${i === current ? " current" : ""}`}
          >
            <title>{n.onPath ? `${n.name}${n.place ? ` — ${n.place}` : ""}` : `${n.name}: not on this path`}</title>
            <rect x={x(i)} y={BOX_Y} width={BOX_W} height={BOX_H} rx={5} />
            <text x={x(i) + BOX_W / 2} y={BOX_Y + 19} textAnchor="middle">
              {n.short}
            </text>
            {n.tlsEnds && (
              <text className="mark mark-tls" x={x(i) + BOX_W / 2} y={BOX_Y + BOX_H + 13} textAnchor="middle">
                TLS ends
              </text>
            )}
            {n.anycast && (
              <text className="mark mark-anycast" x={x(i) + BOX_W / 2} y={BOX_Y + BOX_H + (n.tlsEnds ? 25 : 13)} textAnchor="middle">
                anycast route
              </text>
            )}
            {!n.onPath && (
              <text className="mark" x={x(i) + BOX_W / 2} y={BOX_Y + BOX_H + 13} textAnchor="middle">
                not on path
              </text>
            )}
            {showPlace(n, i) && (
              <text className="place" x={x(i) + 2} y={BOX_Y + BOX_H + 56}>
                {n.place}
              </text>
            )}
          </g>
        ))}
        {at && current >= 0 && (
          <g className={`packet ${at.direction}`} style={{ transform: `translateX(${x(current) + BOX_W / 2}px)` }} aria-hidden="true">
            <circle cx={0} cy={BOX_Y - 4} r={6} />
          </g>
        )}
      </svg>
    </div>
  );
}
