import { createPath, currentSession, listen, listPaths, signIn, signOut } from './api.js';
import { required } from './dom.js';
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
    created: (path) => {
      if (path.owner !== currentSession()?.sub) news.textContent = `New: “${path.name}”.`;
      list.added(path);
    },
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
    list.added(path);
    createForm.reset();
    report(`Created “${path.name}”.`);
  } catch (error) {
    report(`Not created: ${(error as Error).message}`, true);
  }
});

showAccount();
await Promise.all([list.showSource(listPaths), startLive()]);
document.body.dataset.ready = 'true';
