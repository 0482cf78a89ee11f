/**
 * Defines a custom element unless its tag is taken, so loading a script twice (a merchant who
 * pastes the widget's tag twice, a dashboard screen imported again) is harmless.
 */
export function define(tag: string, cls: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, cls);
}
