import { html, nothing, type TemplateResult } from 'lit';

/** What `field` gives the control it wraps: the id its label points to, and its ARIA state. */
export interface Wiring {
  id: string;
  /** The ids of the hint and the error line, for `aria-describedby`; nothing without either. */
  describedBy: string | typeof nothing;
  /** 'true' while the field is marked invalid, for `aria-invalid`; nothing otherwise. */
  invalid: 'true' | typeof nothing;
}

/** A field's (or a group of fields') error line: `<id>-error`, named by the control's `aria-describedby`. */
export const errorLine = (id: string, error?: string) => (error ? html`<p class="error" id="${id}-error">${error}</p>` : nothing);

/**
 * A form field of the dashboard, in the one markup every screen uses: the label, the control,
 * a hint under it (`<id>-hint`) and an error line (`<id>-error`). `control` writes the input,
 * select or textarea with the given `Wiring`: its `aria-describedby` names the hint and the
 * error, and `aria-invalid` is set while there is an error, or while `invalid` when the error is
 * told elsewhere (a form's alert).
 */
export function field(
  id: string,
  label: unknown,
  control: (w: Wiring) => TemplateResult,
  o: { hint?: unknown; error?: string; invalid?: boolean } = {},
): TemplateResult {
  const describedBy = [o.hint ? `${id}-hint` : '', o.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${control({ id, describedBy: describedBy || nothing, invalid: o.error || o.invalid ? 'true' : nothing })}
    ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : nothing} ${errorLine(id, o.error)}
  </div>`;
}

/**
 * Whether a form's controls were changed from what was rendered: text typed, a box ticked,
 * another option chosen, a file picked. For the forms whose fields are not bound to a draft
 * (the team, the webhooks): a screen tells the shell it holds unsaved changes with it.
 */
export function edited(form: HTMLFormElement): boolean {
  return [...form.elements].some((el) => {
    if (el instanceof HTMLInputElement)
      return el.type === 'checkbox' || el.type === 'radio' ? el.checked !== el.defaultChecked : el.value !== el.defaultValue;
    if (el instanceof HTMLTextAreaElement) return el.value !== el.defaultValue;
    if (el instanceof HTMLSelectElement) {
      // Without an option marked `selected`, the first one is the default.
      const initial = [...el.options].findIndex((o) => o.defaultSelected);
      return el.selectedIndex !== Math.max(initial, 0);
    }
    return false;
  });
}

/** Field errors of a form, by field name. */
export type FieldErrors<K extends string> = Partial<Record<K, string>>;

/** `errors` without `key`'s (the field was typed in again): the same object when it had none. */
export function withoutError<K extends string>(errors: FieldErrors<K>, key: K): FieldErrors<K> {
  if (!errors[key]) return errors;
  const { [key]: _gone, ...rest } = errors;
  return rest as FieldErrors<K>;
}

/**
 * A 400's field errors, by field: the first message for each field `fields` maps the path's first
 * part to (`{ email: 'email', name: 'key-name' }`); none for any other answer.
 */
export function problemFieldErrors<K extends string>(
  problem: { status: number; errors: readonly { path: string; message: string }[] } | undefined,
  fields: Readonly<Record<string, K>>,
): FieldErrors<K> {
  const out: FieldErrors<K> = {};
  if (problem?.status !== 400) return out;
  for (const { path, message } of problem.errors) {
    const key = fields[path.split('.')[0]!];
    if (key && !out[key]) out[key] = message;
  }
  return out;
}
