import { createPath, deletePath, type LearningPath, listPaths, uploadMedia } from './api.js';

function required<T extends Element>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`The page has no ${selector}`);
  return found;
}

const list = required<HTMLUListElement>('#paths');
const form = required<HTMLFormElement>('#create');
const status = required<HTMLParagraphElement>('#status');

function report(message: string, isError = false): void {
  status.textContent = message;
  status.classList.toggle('error', isError);
}

/** Runs an action, reporting its failure on the page instead of losing it in the console. */
async function attempt(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    report((error as Error).message, true);
  }
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  properties: Partial<HTMLElementTagNameMap[K]> = {},
): HTMLElementTagNameMap[K] {
  return Object.assign(document.createElement(tag), properties);
}

function renderPath(path: LearningPath): HTMLLIElement {
  const item = element('li');
  item.dataset.pathId = path.id;
  item.append(element('strong', { textContent: path.name }));
  if (path.media?.contentType.startsWith('image/')) {
    item.append(element('img', { src: path.media.url, alt: `Picture of ${path.name}` }));
  } else if (path.media) {
    item.append(element('a', { href: path.media.url, textContent: `${path.media.contentType}, ${path.media.size} bytes` }));
  }
  const file = element('input', { type: 'file', accept: 'image/*' });
  file.setAttribute('aria-label', `Picture for ${path.name}`);
  file.addEventListener('change', () =>
    attempt(async () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      report(`Uploading ${chosen.name}…`);
      item.replaceWith(renderPath(await uploadMedia(path, chosen)));
      report(`Attached ${chosen.name}.`);
    }),
  );
  const remove = element('button', { type: 'button', textContent: 'Delete' });
  remove.addEventListener('click', () =>
    attempt(async () => {
      await deletePath(path.id);
      item.remove();
      report(`Deleted ${path.name}.`);
    }),
  );
  item.append(file, remove);
  return item;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = form.elements.namedItem('name') as HTMLInputElement;
  void attempt(async () => {
    list.append(renderPath(await createPath(input.value)));
    input.value = '';
    report('Created.');
  });
});

void attempt(async () => {
  list.replaceChildren(...(await listPaths()).map(renderPath));
  report('');
  document.body.dataset.ready = 'true';
});
