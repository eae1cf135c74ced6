import {
  createPath,
  currentSession,
  type LearningPath,
  type LearningPathOrder,
  listen,
  listPaths,
  ORDERS,
  searchPaths,
  signIn,
  signOut,
} from './api.js';
import { button, element, required } from './dom.js';
import { PathsList } from './paths-list.js';

const signInForm = required<HTMLFormElement>('#sign-in');
const signedIn = required<HTMLDivElement>('#signed-in');
const who = required<HTMLSpanElement>('#who');
const signedOutNote = required<HTMLParagraphElement>('#signed-out-note');
const createForm = required<HTMLFormElement>('#create');
const status = required<HTMLParagraphElement>('#status');
const live = required<HTMLSpanElement>('#live');
const news = required<HTMLParagraphElement>('#news');

function report(message: string, isError = false): void {
  status.textContent = message;
  status.classList.toggle('error', isError);
}

const list = new PathsList(required('#paths'), required('#more'), required('#list-end'), report);
const orderControl = required<HTMLSelectElement>('#order');
const searchBox = required<HTMLInputElement>('#search');
const listTitle = required<HTMLHeadingElement>('#list-title');
orderControl.append(...ORDERS.map(({ order, label }) => element('option', { value: order, textContent: label })));

/** How long typing must pause before the search asks the API (one request per pause, not per key). */
const SEARCH_DELAY_MS = 250;

/**
 * Shows the listing the controls ask for: the search results when the box holds a prefix (the API
 * orders them by name, so the order control rests meanwhile), else every path in the chosen order.
 */
function showListing(): Promise<void> {
  const prefix = searchBox.value.trim();
  news.replaceChildren();
  orderControl.disabled = prefix !== '';
  if (prefix !== '') {
    listTitle.textContent = `Paths starting with “${prefix}”`;
    return list.showSource(searchPaths(prefix), { empty: `No paths start with “${prefix}”.`, newAtTop: false });
  }
  const order = orderControl.value as LearningPathOrder;
  listTitle.textContent = 'All learning paths';
  return list.showSource(listPaths(order), { empty: 'No learning paths yet.', newAtTop: order === 'NEWEST_FIRST' });
}

orderControl.addEventListener('change', () => void showListing());
let searchTimer: ReturnType<typeof setTimeout> | undefined;
searchBox.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => void showListing(), SEARCH_DELAY_MS);
});
required<HTMLFormElement>('#list-controls').addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(searchTimer);
  void showListing();
});

/**
 * A path created here or elsewhere. Newest first it goes on top; in any other order or search its
 * place is unknown (and it may not match), so the page offers to read the list again rather than guess.
 */
function pathCreated(path: LearningPath, message: string): void {
  if (list.added(path)) {
    if (message) news.textContent = message;
    return;
  }
  news.replaceChildren(
    `${message || `Created “${path.name}”.`} The list has changed since it was read. `,
    button('Refresh the list', () => void showListing(), undefined, 'quiet'),
  );
}

const LIVE_TEXT = {
  connecting: 'Live updates: connecting…',
  live: 'Live updates: on',
  reconnecting: 'Live updates: reconnecting…',
  closed: 'Live updates: off',
};

let stopListening: (() => void) | undefined;

/** (Re)subscribes with the current credentials: the API key signed out, the user's token signed in. */
async function startLive(): Promise<void> {
  stopListening?.();
  stopListening = await listen({
    created: (path) => pathCreated(path, path.owner === currentSession()?.sub ? '' : `New: “${path.name}”.`),
    updated: (path) => list.changed(path),
    deleted: (path) => {
      if (list.removed(path.id)) news.textContent = `“${path.name}” was deleted.`;
    },
    state: (state) => {
      live.dataset.state = state;
      live.textContent = LIVE_TEXT[state];
    },
  });
}

function showAccount(): void {
  const session = currentSession();
  signInForm.hidden = session !== undefined;
  signedIn.hidden = session === undefined;
  signedOutNote.hidden = session !== undefined;
  createForm.hidden = session === undefined;
  if (session) {
    const role = session.groups.includes('admins') ? ' (administrator)' : '';
    who.textContent = `Signed in as ${session.user}${role}`;
    who.title = `sub ${session.sub}`;
  }
  list.refresh();
}

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(signInForm);
  try {
    const session = await signIn(String(data.get('user')).trim(), data.get('admin') === 'on');
    showAccount();
    report(`Welcome, ${session.user}.`);
    await startLive();
  } catch (error) {
    report(`Could not sign in: ${(error as Error).message}. Is the API (npm start) running?`, true);
  }
});

required<HTMLButtonElement>('#sign-out').addEventListener('click', async () => {
  signOut();
  showAccount();
  report('Signed out.');
  await startLive();
});

createForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(createForm);
  try {
    const path = await createPath(String(data.get('name')), String(data.get('description') ?? '') || null);
    pathCreated(path, '');
    createForm.reset();
    report(`Created “${path.name}”.`);
  } catch (error) {
    report(`Not created: ${(error as Error).message}`, true);
  }
});

showAccount();
await Promise.all([showListing(), startLive()]);
document.body.dataset.ready = 'true';
