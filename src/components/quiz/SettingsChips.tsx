import type { SettingChip } from "../../quiz/trace-the-request";

/**
 * The variant's settings as chips, each marked — in words, not only colour — when it differs from
 * the variant before.
 */
export function SettingsChips({ settings, previous }: { settings: readonly SettingChip[]; previous: readonly SettingChip[] | null }) {
  const before = new Map(previous?.map((s) => [s.key, s]));
  const changed = (s: SettingChip) => previous !== null && before.get(s.key)?.value !== s.value;
  const count = settings.filter(changed).length;
  return (
    <div className="chips-block" data-pagefind-ignore="all">
      <ul className="chips" aria-label="Settings of this variant">
        {settings.map((s) => {
          const was = before.get(s.key);
          return (
            <li key={s.key} className={changed(s) ? "chip changed" : "chip"}>
              <span className="chip-label">{s.label}</span> <span className="chip-value">{s.valueLabel}</span>
              {changed(s) && <span className="chip-was">{was ? `changed (was ${was.valueLabel})` : "changed"}</span>}
            </li>
          );
        })}
      </ul>
      {previous && (
        <p className="meta">
          {count === 0 ? "Same settings as the previous variant." : `${count} setting${count === 1 ? "" : "s"} changed since the previous variant.`}
        </p>
      )}
    </div>
  );
}
