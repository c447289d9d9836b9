import type { AnswerOf, Choice } from "../../../quiz/engine/types";

interface Props {
  readonly idBase: string;
  readonly checklist: readonly Choice[];
  readonly modelAnswer: string;
  readonly answer: AnswerOf["open"] | null;
  readonly onAnswer: (answer: AnswerOf["open"]) => void;
  /** The learner has asked to compare: the model answer and the checklist are shown. */
  readonly comparing: boolean;
  readonly locked: boolean;
  /** Set when the learner asked to compare before writing anything: said at the field. */
  readonly nudge: string | null;
}

/**
 * An explanation in the learner's own words. Nothing grades the prose: once written, the model answer
 * and its checklist appear, the learner ticks what their answer covered, then rates their own recall.
 */
export function OpenAnswer({ idBase, checklist, modelAnswer, answer, onAnswer, comparing, locked, nudge }: Props) {
  const text = answer?.text ?? "";
  const checked = new Set(answer?.checked ?? []);
  const toggle = (id: string) => {
    const next = new Set(checked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onAnswer({ text, checked: checklist.map((c) => c.id).filter((c) => next.has(c)) });
  };
  return (
    <div className="open-answer">
      <label htmlFor={`${idBase}-text`}>Your answer</label>
      <textarea
        id={`${idBase}-text`}
        rows={6}
        value={text}
        readOnly={comparing || locked}
        aria-invalid={nudge !== null ? true : undefined}
        aria-describedby={nudge !== null ? `${idBase}-text-error` : undefined}
        onChange={(e) => onAnswer({ text: e.currentTarget.value, checked: [...checked] })}
      />
      {nudge !== null && (
        <p className="error" id={`${idBase}-text-error`} role="alert">
          {nudge}
        </p>
      )}
      {comparing && (
        <>
          <h4>The model answer</h4>
          <p className="model-answer">{modelAnswer}</p>
          <fieldset className="choices checklist">
            <legend>Tick what your answer covered</legend>
            {checklist.map((c) => (
              <label key={c.id} className="choice">
                <input type="checkbox" checked={checked.has(c.id)} disabled={locked} onChange={() => toggle(c.id)} />
                <span>{c.text}</span>
              </label>
            ))}
          </fieldset>
        </>
      )}
    </div>
  );
}
