import { formatNumeric } from "../../quiz/engine/equivalence";
import type { AnyVariant, Choice } from "../../quiz/engine/types";

const textOf = (choices: readonly Choice[], id: string) => choices.find((c) => c.id === id)?.text ?? id;

/** The right answer written out, in the words the question used (never the internal ids). */
export function KeyView({ variant }: { variant: AnyVariant }) {
  switch (variant.kind) {
    case "single-choice":
    case "diagnosis":
      return <p>{textOf(variant.view.options, variant.key.choice)}</p>;
    case "multiple-choice":
      return (
        <ul>
          {variant.key.choices.map((id) => (
            <li key={id}>{textOf(variant.view.options, id)}</li>
          ))}
        </ul>
      );
    case "ordering":
      return (
        <ol>
          {variant.key.order.map((id) => (
            <li key={id}>{textOf(variant.view.items, id)}</li>
          ))}
        </ol>
      );
    case "fill-in":
    case "predict-header": {
      const { fields } = variant.view;
      return (
        <dl className="key-fields">
          {fields.map((f) => (
            <div key={f.id}>
              <dt>{f.label}</dt>
              <dd>
                <code>{variant.key.fields[f.id] ?? ""}</code>
              </dd>
            </div>
          ))}
        </dl>
      );
    }
    case "numeric":
      return <p>{formatNumeric(variant.rubric.value, variant.rubric.unit)}</p>;
    case "trace-builder": {
      const { options, marks } = variant.view;
      return (
        <ol>
          {variant.key.hops.map((h) => (
            <li key={h.item}>
              {textOf(options, h.item)}
              {h.marks.length > 0 && <> — {h.marks.map((m) => textOf(marks, m)).join("; ")}</>}
            </li>
          ))}
        </ol>
      );
    }
    case "open":
      return <p className="model-answer">{variant.rubric.modelAnswer}</p>;
  }
}
