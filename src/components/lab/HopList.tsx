import type { Ref } from "react";
import { LEG_NAMES, type Trace } from "../../sim/index";

interface Props {
  trace: Trace;
  visible: readonly number[];
  position: number;
  onSelect: (hopIndex: number) => void;
  currentRef: Ref<HTMLButtonElement>;
}

/** The hops in order, grouped by leg; the current one is marked as the current step. */
export function HopList({ trace, visible, position, onSelect, currentRef }: Props) {
  let lastLeg = 0;
  return (
    <ol className="hop-list" aria-label="Hops">
      {visible.map((hopIndex, i) => {
        const hop = trace.hops[hopIndex]!;
        const heading = hop.leg !== lastLeg ? `Leg ${hop.leg}: ${LEG_NAMES[hop.leg]}` : null;
        lastLeg = hop.leg;
        const current = i === position;
        return (
          <li key={hopIndex}>
            {heading && <div className="leg-heading" aria-hidden="true">{heading}</div>}
            <button
              type="button"
              ref={current ? currentRef : undefined}
              aria-current={current ? "step" : undefined}
              onClick={() => onSelect(hopIndex)}
            >
              <span className={`dir-${hop.direction}`} aria-hidden="true">
                {hop.direction === "request" ? "→" : "←"}
              </span>
              <span>
                {hop.device.name}
                <span className="visually-hidden">
                  {`, ${hop.direction}, leg ${hop.leg}, hop ${hopIndex + 1}`}
                </span>
              </span>
              <span className="time">{hop.timeMs.toFixed(1)} ms</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
