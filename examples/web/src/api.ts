/**
 * The page's client of the learning-paths API: the typed documents of client/operations (generated
 * by `npm run codegen`) over HTTP, the presigned upload straight to S3, and the AppSync real-time
 * subscriptions. Signed in, it calls as the user (Cognito ID token); signed out, with the API key,
 * which may only read and subscribe.
 */

import { AppSyncRealtimeClient, type ConnectionState } from '../../../client/browser/appsync-realtime.js';
import { isFresh, type LocalSession, signInLocally } from '../../../client/browser/local-sign-in.js';
import {
  AddLearningPathMediaDocument,
  CreateLearningPathDocument,
  CreateMediaUploadDocument,
  DeleteLearningPathDocument,
  LearningPathDocument,
  type LearningPathFieldsFragment,
  LearningPathsDocument,
  OnCreateLearningPathDocument,
  OnDeleteLearningPathDocument,
  OnUpdateLearningPathDocument,
  type TypedDocumentString,
  UpdateLearningPathDocument,
} from '../../../client/generated/operations.js';

/** The API `npm start` serves unless VITE_GRAPHQL_URL names another (see vite.config.ts). */
export const GRAPHQL_URL: string = import.meta.env.VITE_GRAPHQL_URL ?? 'http://localhost:20002/graphql';
const API_KEY: string = import.meta.env.VITE_API_KEY ?? 'da2-local-development-key';
const REALTIME_URL = `${GRAPHQL_URL.replace(/^http/, 'ws')}/realtime`;

/** A learning path as the page's operations select it (client/operations, typed by codegen). */
export type LearningPath = LearningPathFieldsFragment;

/** One page of a listing; `nextToken` is null on the last page. */
export interface Page {
  items: LearningPath[];
  nextToken: string | null;
}

/** A failure the API reported, with its documented `errorType` (docs/api.md, "Errors"). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly errorType: string | undefined,
  ) {
    super(message);
  }
}

/** The file types the API accepts (docs/media.md); the file picker offers only these. */
export const MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'video/mp4', 'audio/mpeg'];

const SESSION_KEY = 'learning-paths.session';

/** Who the page calls as; per tab, so that two tabs may be two users. */
let session: LocalSession | undefined = (() => {
  const saved = sessionStorage.getItem(SESSION_KEY);
  return saved ? (JSON.parse(saved) as LocalSession) : undefined;
})();

export const currentSession = (): LocalSession | undefined => session;

/**
 * Signs in as a local user through the local stack's token minting (the token `npm run -s token`
 * prints). A deployed frontend would use Amplify Auth against the Cognito user pool instead.
 */
export async function signIn(user: string, admin: boolean): Promise<LocalSession> {
  session = await signInLocally(GRAPHQL_URL, user, admin ? ['admins'] : []);
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

export function signOut(): void {
  session = undefined;
  sessionStorage.removeItem(SESSION_KEY);
}

/** May the signed-in user change this path? The API decides; the page only hides what it would refuse. */
export const canChange = (path: LearningPath): boolean =>
  session !== undefined && (path.owner === session.sub || session.groups.includes('admins'));

async function authHeaders(): Promise<Record<string, string>> {
  if (!session) return { 'x-api-key': API_KEY };
  // A tab left open outlives the one-hour token: sign in again as the same user.
  if (!isFresh(session)) await signIn(session.user, session.groups.includes('admins'));
  return { authorization: (session as LocalSession).token };
}

async function request<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<TResult> {
  const response = await fetch(GRAPHQL_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await authHeaders()) },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    data?: TResult | null;
    errors?: { message: string; errorType?: string }[];
  };
  // The API's own (typed) error first; the simulator may add a second, generic one.
  const error = body.errors?.find((candidate) => candidate.errorType) ?? body.errors?.[0];
  if (error !== undefined) throw new ApiError(error.message, error.errorType);
  if (!response.ok || body.data == null) throw new ApiError(`The API answered HTTP ${response.status}`, undefined);
  return body.data;
}

export const PAGE_SIZE = 10;

/** A page of all paths (the API's order); the listing's source until ordering and search exist. */
export async function listPaths(nextToken: string | null): Promise<Page> {
  return (await request(LearningPathsDocument, { limit: PAGE_SIZE, nextToken })).learningPaths;
}

export async function getPath(id: string): Promise<LearningPath | null> {
  return (await request(LearningPathDocument, { id })).learningPath ?? null;
}

export async function createPath(name: string, description: string | null): Promise<LearningPath> {
  return (await request(CreateLearningPathDocument, { input: { name, description, clientToken: crypto.randomUUID() } })).createLearningPath;
}

/** Changes name and description only if the path is still at `expectedVersion` (else ApiError ConflictError). */
export async function updatePath(id: string, fields: { name: string; description: string | null }, expectedVersion: number) {
  return (await request(UpdateLearningPathDocument, { input: { id, ...fields, expectedVersion } })).updateLearningPath;
}

export async function deletePath(path: LearningPath): Promise<void> {
  await request(DeleteLearningPathDocument, { id: path.id, expectedVersion: path.version });
}

/**
 * The presigned flow (docs/media.md): ask the API for an upload URL, PUT the file straight to S3
 * with the headers the API named, reporting progress, then ask the API to verify and attach it.
 */
export async function uploadMedia(path: LearningPath, file: File, onProgress: (fraction: number) => void): Promise<LearningPath> {
  const { createMediaUpload: upload } = await request(CreateMediaUploadDocument, {
    input: { learningPathId: path.id, contentType: file.type, contentLength: file.size },
  });
  await put(upload.uploadUrl, JSON.parse(upload.headers) as Record<string, string>, file, onProgress);
  const data = await request(AddLearningPathMediaDocument, {
    input: { id: path.id, uploadKey: upload.uploadKey, expectedVersion: path.version },
  });
  return data.addLearningPathMedia;
}

/** fetch() reports no upload progress; XMLHttpRequest does. */
function put(url: string, headers: Record<string, string>, file: File, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    // The browser sets Content-Length and Host itself and refuses to let a page set them.
    for (const [name, value] of Object.entries(headers)) {
      if (!['content-length', 'host'].includes(name.toLowerCase())) xhr.setRequestHeader(name, value);
    }
    xhr.upload.addEventListener('progress', (event) => event.lengthComputable && onProgress(event.loaded / event.total));
    xhr.addEventListener('load', () =>
      xhr.status < 300 ? resolve() : reject(new Error(`S3 refused the upload: HTTP ${xhr.status} ${xhr.responseText}`)),
    );
    xhr.addEventListener('error', () => reject(new Error('The upload to S3 failed (network error)')));
    xhr.send(file);
  });
}

/** What the page hears about other people's changes. */
export interface LiveHandlers {
  created(path: LearningPath): void;
  updated(path: LearningPath): void;
  deleted(path: LearningPath): void;
  state(state: ConnectionState): void;
}

/** Subscribes to every create, update and delete; returns the function that stops listening. */
export async function listen(handlers: LiveHandlers): Promise<() => void> {
  const client = new AppSyncRealtimeClient(REALTIME_URL, await authHeaders(), handlers.state);
  const report = (error: Error) => handlers.state(error.message.includes('Unauthorized') ? 'closed' : 'reconnecting');
  client.subscribe<{ onCreateLearningPath: LearningPath | null }>(
    String(OnCreateLearningPathDocument),
    {},
    {
      next: (data) => data.onCreateLearningPath && handlers.created(data.onCreateLearningPath),
      error: report,
    },
  );
  client.subscribe<{ onUpdateLearningPath: LearningPath | null }>(
    String(OnUpdateLearningPathDocument),
    {},
    {
      next: (data) => data.onUpdateLearningPath && handlers.updated(data.onUpdateLearningPath),
      error: report,
    },
  );
  client.subscribe<{ onDeleteLearningPath: LearningPath | null }>(
    String(OnDeleteLearningPathDocument),
    {},
    {
      next: (data) => data.onDeleteLearningPath && handlers.deleted(data.onDeleteLearningPath),
      error: report,
    },
  );
  return () => client.close();
}
