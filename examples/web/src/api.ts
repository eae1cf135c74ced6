/** A minimal GraphQL client for the learning-paths API: the typed operations of client/operations over HTTP. */

import {
  AddLearningPathMediaDocument,
  CreateLearningPathDocument,
  CreateMediaUploadDocument,
  DeleteLearningPathDocument,
  type LearningPathFieldsFragment,
  LearningPathsDocument,
  type TypedDocumentString,
} from '../../../client/generated/operations.js';

const GRAPHQL_URL = import.meta.env.VITE_GRAPHQL_URL ?? 'http://localhost:20002/graphql';
const API_KEY = import.meta.env.VITE_API_KEY ?? 'da2-local-development-key';
/**
 * The signed-in user's Cognito ID token. A real app gets it from its sign-in (for example Amplify
 * Auth); locally, `VITE_ID_TOKEN=$(npm run -s token -- --user alice) npm run web`. Without one the
 * page can only read (API key): creating and changing paths needs a user.
 */
const ID_TOKEN: string | undefined = import.meta.env.VITE_ID_TOKEN;

/** A learning path as the page's operations select it (client/operations, typed by codegen). */
export type LearningPath = LearningPathFieldsFragment;

async function request<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<TResult> {
  const response = await fetch(GRAPHQL_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(ID_TOKEN ? { authorization: ID_TOKEN } : { 'x-api-key': API_KEY }) },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await response.json()) as { data?: TResult | null; errors?: { message: string; errorType?: string }[] };
  // Report the API's own (typed) error first.
  const error = body.errors?.find((candidate) => candidate.errorType) ?? body.errors?.[0];
  if (error !== undefined) throw new Error(error.errorType ? `${error.errorType}: ${error.message}` : error.message);
  if (!response.ok || body.data == null) throw new Error(`The API answered HTTP ${response.status}`);
  return body.data;
}

export async function listPaths(): Promise<LearningPath[]> {
  return (await request(LearningPathsDocument, { limit: 100 })).learningPaths.items;
}

export async function createPath(name: string): Promise<LearningPath> {
  return (await request(CreateLearningPathDocument, { input: { name } })).createLearningPath;
}

export async function deletePath(id: string): Promise<void> {
  await request(DeleteLearningPathDocument, { id });
}

/**
 * The presigned flow: ask the API for an upload URL, PUT the file straight to S3 with the headers
 * the API named, then ask the API to verify and attach it.
 */
export async function uploadMedia(path: LearningPath, file: File): Promise<LearningPath> {
  const { createMediaUpload: upload } = await request(CreateMediaUploadDocument, {
    input: { learningPathId: path.id, contentType: file.type, contentLength: file.size },
  });
  const put = await fetch(upload.uploadUrl, { method: 'PUT', headers: JSON.parse(upload.headers) as Record<string, string>, body: file });
  // S3 explains a refusal in an XML body; reading it also completes the request.
  const answer = await put.text();
  if (!put.ok) throw new Error(`S3 refused the upload: HTTP ${put.status} ${answer}`);
  const data = await request(AddLearningPathMediaDocument, {
    input: { id: path.id, uploadKey: upload.uploadKey, expectedVersion: path.version },
  });
  return data.addLearningPathMedia;
}
