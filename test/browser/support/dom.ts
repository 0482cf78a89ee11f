/** Shadow-DOM helpers for element tests. */
export const $ = <T extends Element = HTMLElement>(host: Element, selector: string): T | null =>
  host.shadowRoot!.querySelector<T>(selector);

export const $$ = <T extends Element = HTMLElement>(host: Element, selector: string): T[] => [
  ...host.shadowRoot!.querySelectorAll<T>(selector),
];

/** The element's rendered text, whitespace collapsed. */
export const text = (host: Element): string => host.shadowRoot!.textContent!.replace(/\s+/g, ' ');

/** The focused element, looking through shadow roots. */
export function focused(): Element | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}
