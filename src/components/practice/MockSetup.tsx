import { useState } from "react";
import { deckParam, deckTitle, type Catalogue, type Deck } from "./catalogue";

export interface MockSettings {
  readonly deck: Deck;
  readonly questions: number;
  /** Minutes, or null for no limit. */
  readonly minutes: number | null;
}

const SIZES = [3, 5, 8, 10] as const;
const LIMITS = [null, 5, 10, 15, 20, 30] as const;

/**
 * A mock interview's set-up: which deck to draw from, how many questions, and an optional time limit.
 * Each question is drawn with a fresh seed, so a second interview on the same deck asks new variants.
 */
export function MockSetup({ catalogue, decks, onStart }: { catalogue: Catalogue; decks: readonly Deck[]; onStart: (settings: MockSettings) => void }) {
  const [deck, setDeck] = useState(deckParam(decks[0] ?? { type: "all" }));
  const [size, setSize] = useState<number>(3);
  const [minutes, setMinutes] = useState<string>("none");
  const chosen = decks.find((d) => deckParam(d) === deck) ?? { type: "all" as const };
  return (
    <section className="mock-setup" aria-labelledby="mock-title">
      <h2 id="mock-title">Mock interview</h2>
      <p>
        A run of questions in a row, as in an interview, optionally against the clock. At the end: your score on each, how
        well each concept is held now, and links into the labs where an answer went wrong.
      </p>
      <div className="mock-fields">
        <label>
          Questions from
          <select value={deck} onChange={(e) => setDeck(e.currentTarget.value)}>
            {decks.map((d) => (
              <option key={deckParam(d)} value={deckParam(d)}>
                {deckTitle(d, catalogue)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Number of questions
          <select value={size} onChange={(e) => setSize(Number(e.currentTarget.value))}>
            {SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Time limit
          <select value={minutes} onChange={(e) => setMinutes(e.currentTarget.value)}>
            {LIMITS.map((m) => (
              <option key={m ?? "none"} value={m ?? "none"}>
                {m === null ? "No limit" : `${m} minutes`}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="button" className="primary" onClick={() => onStart({ deck: chosen, questions: size, minutes: minutes === "none" ? null : Number(minutes) })}>
        Start the interview
      </button>
    </section>
  );
}
