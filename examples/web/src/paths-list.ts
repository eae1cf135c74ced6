/**
 * The listing: cards of learning paths read page by page from one source, kept current by the
 * page's own changes and by live events. A source is any function from a page token to a page, so
 * an ordering control or a search box only hands the list another source (`showSource`).
 */
import {
  ApiError,
  canChange,
  currentSession,
  deletePath,
  getPath,
  type LearningPath,
  MEDIA_TYPES,
  type Page,
  updatePath,
  uploadMedia,
} from './api.js';
import { button, element, formatBytes } from './dom.js';

/** Reads one page: `null` for the first, then the previous page's `nextToken`. */
export type PageSource = (nextToken: string | null) => Promise<Page>;

interface Card {
  path: LearningPath;
  item: HTMLLIElement;
  /** While the user edits, live events update `path` but leave the form alone. */
  editing: boolean;
}

export class PathsList {
  private readonly cards = new Map<string, Card>();
  private source: PageSource | undefined;
  private nextToken: string | null = null;
  private loading = false;

  constructor(
    private readonly list: HTMLUListElement,
    private readonly more: HTMLButtonElement,
    private readonly end: HTMLElement,
    private readonly report: (message: string, isError?: boolean) => void,
  ) {
    more.addEventListener('click', () => void this.loadMore());
  }

  /** Empties the list and shows the first page of `source`. */
  async showSource(source: PageSource): Promise<void> {
    this.source = source;
    this.cards.clear();
    this.list.replaceChildren();
    this.nextToken = null;
    await this.loadMore(true);
  }

  async loadMore(first = false): Promise<void> {
    const source = this.source;
    if (!source || this.loading || (!first && this.nextToken === null)) return;
    this.loading = true;
    this.more.disabled = true;
    try {
      const page = await source(this.nextToken);
      if (source !== this.source) return;
      for (const path of page.items) if (!this.cards.has(path.id)) this.append(path);
      this.nextToken = page.nextToken;
      this.more.hidden = page.nextToken === null;
      this.showCount();
    } catch (error) {
      this.report(`Could not load the paths (${(error as Error).message}). Is the API running (npm start)?`, true);
    } finally {
      this.loading = false;
      this.more.disabled = false;
    }
  }

  /** Shows a path that was just created, here or elsewhere, at the top. */
  added(path: LearningPath): void {
    if (this.cards.has(path.id)) {
      this.changed(path);
      return;
    }
    const card = this.card(path);
    card.item.classList.add('fresh');
    this.list.prepend(card.item);
    this.showCount();
  }

  /** Under the list, once the last page is in: how many paths there are. */
  private showCount(): void {
    if (this.nextToken !== null) this.end.textContent = '';
    else this.end.textContent = this.cards.size === 0 ? 'No learning paths yet.' : `All ${this.cards.size} shown.`;
  }

  /** A newer version of a path on the page; older or repeated events change nothing. */
  changed(path: LearningPath): void {
    const card = this.cards.get(path.id);
    if (!card || path.version < card.path.version) return;
    card.path = path;
    if (!card.editing) this.render(card);
  }

  removed(id: string): LearningPath | undefined {
    const card = this.cards.get(id);
    card?.item.remove();
    this.cards.delete(id);
    this.showCount();
    return card?.path;
  }

  /** Draws every card again, e.g. after sign-in changed which actions are offered. */
  refresh(): void {
    for (const card of this.cards.values()) if (!card.editing) this.render(card);
  }

  private append(path: LearningPath): void {
    this.list.append(this.card(path).item);
  }

  private card(path: LearningPath): Card {
    const card: Card = { path, item: element('li', { className: 'path' }), editing: false };
    this.cards.set(path.id, card);
    this.render(card);
    return card;
  }

  private render(card: Card): void {
    const { path, item } = card;
    item.dataset.pathId = path.id;
    item.dataset.version = String(path.version);
    const session = currentSession();
    const owner = session?.sub === path.owner ? 'you' : 'another user';
    const heading = element('h3', { textContent: path.name });
    const meta = element('p', {
      className: 'meta',
      textContent: `Version ${path.version} · by ${owner} · updated ${new Date(path.updatedAt).toLocaleString()}`,
    });
    meta.title = `owner ${path.owner}`;
    const parts: Node[] = [heading, meta];
    if (path.description) parts.push(element('p', { className: 'description', textContent: path.description }));
    if (path.media) parts.push(mediaView(path));
    if (canChange(path)) {
      parts.push(
        element(
          'div',
          { className: 'actions' },
          button('Edit', () => this.edit(card), `Edit ${path.name}`),
          this.uploadControl(card),
          button('Delete', () => this.confirmDelete(card), `Delete ${path.name}`, 'danger'),
        ),
      );
    }
    item.replaceChildren(...parts);
  }

  private uploadControl(card: Card): HTMLLabelElement {
    const input = element('input', { type: 'file', accept: MEDIA_TYPES.join(','), className: 'visually-hidden' });
    input.setAttribute('aria-label', `Attach a file to ${card.path.name}`);
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (file) void this.upload(card, file);
    });
    return element('label', { className: 'button' }, 'Attach file…', input);
  }

  private async upload(card: Card, file: File): Promise<void> {
    const progress = element('progress', { max: 1, value: 0 });
    progress.setAttribute('aria-label', `Uploading ${file.name}`);
    const label = element('span', { textContent: `Uploading ${file.name}… 0%` });
    const row = element('div', { className: 'progress', attrs: { role: 'status' } }, progress, label);
    card.item.append(row);
    try {
      const updated = await uploadMedia(card.path, file, (fraction) => {
        progress.value = fraction;
        label.textContent = `Uploading ${file.name}… ${Math.round(fraction * 100)}%`;
      });
      this.changed(updated);
      this.report(`Attached ${file.name} to “${updated.name}”.`);
    } catch (error) {
      row.remove();
      this.problem(card, `Not attached: ${describe(error)}`);
    }
  }

  private confirmDelete(card: Card): void {
    const actions = card.item.querySelector('.actions');
    const confirm = element(
      'div',
      { className: 'actions confirm', attrs: { role: 'group', 'aria-label': `Confirm deleting ${card.path.name}` } },
      element('span', { textContent: `Delete “${card.path.name}”${card.path.media ? ' and its file' : ''}?` }),
      button('Yes, delete', () => void this.delete(card), `Yes, delete ${card.path.name}`, 'danger'),
      button('Keep', () => this.render(card), `Keep ${card.path.name}`, 'quiet'),
    );
    actions?.replaceWith(confirm);
    confirm.querySelector('button')?.focus();
  }

  private async delete(card: Card): Promise<void> {
    try {
      await deletePath(card.path);
      this.removed(card.path.id);
      this.report(`Deleted “${card.path.name}”.`);
    } catch (error) {
      if (error instanceof ApiError && error.errorType === 'ConflictError') {
        const latest = await getPath(card.path.id);
        if (latest) this.changed(latest);
        return this.problem(card, 'Not deleted: someone changed this path since you loaded it. Look at it again, then delete.');
      }
      this.render(card);
      this.problem(card, `Not deleted: ${describe(error)}`);
    }
  }

  private edit(card: Card): void {
    card.editing = true;
    let expectedVersion = card.path.version;
    const name = element('input', { value: card.path.name, required: true, maxLength: 200, id: `name-${card.path.id}` });
    const description = element('textarea', {
      value: card.path.description ?? '',
      maxLength: 2000,
      rows: 3,
      id: `description-${card.path.id}`,
    });
    const alert = element('p', { className: 'alert', attrs: { role: 'alert' } });
    alert.hidden = true;
    const form = element(
      'form',
      { className: 'edit', attrs: { 'aria-label': `Edit ${card.path.name}` } },
      element('label', { htmlFor: name.id, textContent: 'Name' }),
      name,
      element('label', { htmlFor: description.id, textContent: 'Description' }),
      description,
      alert,
      element(
        'div',
        { className: 'actions' },
        element('button', { type: 'submit', textContent: 'Save' }),
        button('Cancel', () => this.closeEditor(card), undefined, 'quiet'),
      ),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const saved = await updatePath(card.path.id, { name: name.value, description: description.value || null }, expectedVersion);
        card.editing = false;
        this.changed(saved);
        this.render(card);
        this.report(`Saved “${saved.name}” (version ${saved.version}).`);
      } catch (error) {
        if (!(error instanceof ApiError && error.errorType === 'ConflictError')) {
          alert.textContent = `Not saved: ${describe(error)}`;
          alert.hidden = false;
          return;
        }
        const latest = await getPath(card.path.id);
        if (!latest) {
          alert.textContent = 'Not saved: this path was deleted by someone else.';
          alert.hidden = false;
          return;
        }
        card.path = latest;
        alert.textContent =
          `Not saved: someone else changed this path while you were editing. It is now at version ${latest.version} ` +
          `(you started from version ${expectedVersion}) with the name “${latest.name}”` +
          `${latest.description ? ` and the description “${latest.description}”` : ' and no description'}. ` +
          'Save again to replace it with your text, or Cancel to keep theirs.';
        alert.hidden = false;
        expectedVersion = latest.version;
      }
    });
    card.item.replaceChildren(element('h3', { textContent: `Editing “${card.path.name}”` }), form);
    name.focus();
  }

  private closeEditor(card: Card): void {
    card.editing = false;
    this.render(card);
  }

  /** Shows a failure inside the card it concerns. */
  private problem(card: Card, message: string): void {
    card.item.querySelector('.alert.card-problem')?.remove();
    card.item.append(element('p', { className: 'alert card-problem', textContent: message, attrs: { role: 'alert' } }));
  }
}

function mediaView(path: LearningPath): HTMLElement {
  const media = path.media as NonNullable<LearningPath['media']>;
  const caption = `${media.contentType}, ${formatBytes(media.size)}`;
  if (media.contentType.startsWith('image/')) {
    return element('figure', {}, element('img', { src: media.url, alt: `Picture of ${path.name}` }), element('figcaption', {}, caption));
  }
  return element('p', { className: 'media' }, element('a', { href: media.url, textContent: `Open the file (${caption})` }));
}

function describe(error: unknown): string {
  return error instanceof ApiError && error.errorType ? `${error.message} (${error.errorType})` : (error as Error).message;
}
