/** Small DOM helpers of the example page. */

export function required<T extends Element>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`The page has no ${selector}`);
  return found;
}

/** An element with properties, attributes (`aria-*`, `data-*`, `for`…) and children. */
type Properties<K extends keyof HTMLElementTagNameMap> = Partial<Omit<HTMLElementTagNameMap[K], 'attributes'>> & {
  attrs?: Record<string, string>;
};

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  properties: Properties<K> = {} as Properties<K>,
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const { attrs = {}, ...rest } = properties;
  const created = Object.assign(document.createElement(tag), rest);
  for (const [name, value] of Object.entries(attrs)) created.setAttribute(name, value);
  created.append(...children);
  return created;
}

export function button(text: string, onClick: () => void, label?: string, className = ''): HTMLButtonElement {
  const created = element('button', { type: 'button', textContent: text, className });
  if (label) created.setAttribute('aria-label', label);
  created.addEventListener('click', onClick);
  return created;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
