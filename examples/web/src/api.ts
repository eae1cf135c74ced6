/** A minimal GraphQL client for the learning-paths API (queries and mutations over HTTP). */

const GRAPHQL_URL = import.meta.env.VITE_GRAPHQL_URL ?? 'http://localhost:20002/graphql';
const API_KEY = import.meta.env.VITE_API_KEY ?? 'da2-local-development-key';
/**
 * The signed-in user's Cognito ID token. A real app gets it from its sign-in (for example Amplify
 * Auth); locally, `VITE_ID_TOKEN=$(npm run -s token -- --user alice) npm run web`. Without one the
 * page can only read (API key): creating and changing paths needs a user.
 */
const ID_TOKEN: string | undefined = import.meta.env.VITE_ID_TOKEN;

export interface Media {
  key: string;
  contentType: string;
  size: number;
  url: string;
}

export interface LearningPath {
  id: string;
  name: string;
  version: number;
  media: Media | null;
}

interface MediaUpload {
  uploadUrl: string;
  uploadKey: string;
  expiresAt: string;
  headers: string;
}

const PATH_FIELDS = 'id name version media { key contentType size url }';

async function request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(GRAPHQL_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(ID_TOKEN ? { authorization: ID_TOKEN } : { 'x-api-key': API_KEY }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: { message: string; errorType?: string }[] };
  // Report the API's own (typed) error first.
  const error = body.errors?.find((candidate) => candidate.errorType) ?? body.errors?.[0];
  if (error !== undefined) throw new Error(error.errorType ? `${error.errorType}: ${error.message}` : error.message);
  if (!response.ok || body.data == null) throw new Error(`The API answered HTTP ${response.status}`);
  return body.data;
}

export async function listPaths(): Promise<LearningPath[]> {
  const data = await request<{ learningPaths: { items: LearningPath[] } }>(
    `query { learningPaths(limit: 100) { items { ${PATH_FIELDS} } } }`,
    {},
  );
  return data.learningPaths.items;
}

export async function createPath(name: string): Promise<LearningPath> {
  const data = await request<{ createLearningPath: LearningPath }>(
    `mutation ($input: CreateLearningPathInput!) { createLearningPath(input: $input) { ${PATH_FIELDS} } }`,
    { input: { name } },
  );
  return data.createLearningPath;
}

export async function deletePath(id: string): Promise<void> {
  await request('mutation ($id: ID!) { deleteLearningPath(id: $id) { id } }', { id });
}

/**
 * The presigned flow: ask the API for an upload URL, PUT the file straight to S3 with the headers
 * the API named, then ask the API to verify and attach it.
 */
export async function uploadMedia(path: LearningPath, file: File): Promise<LearningPath> {
  const { createMediaUpload: upload } = await request<{ createMediaUpload: MediaUpload }>(
    'mutation ($input: CreateMediaUploadInput!) { createMediaUpload(input: $input) { uploadUrl uploadKey expiresAt headers } }',
    { input: { learningPathId: path.id, contentType: file.type, contentLength: file.size } },
  );
  const put = await fetch(upload.uploadUrl, { method: 'PUT', headers: JSON.parse(upload.headers) as Record<string, string>, body: file });
  // S3 explains a refusal in an XML body; reading it also completes the request.
  const answer = await put.text();
  if (!put.ok) throw new Error(`S3 refused the upload: HTTP ${put.status} ${answer}`);
  const data = await request<{ addLearningPathMedia: LearningPath }>(
    `mutation ($input: AddLearningPathMediaInput!) { addLearningPathMedia(input: $input) { ${PATH_FIELDS} } }`,
    { input: { id: path.id, uploadKey: upload.uploadKey, expectedVersion: path.version } },
  );
  return data.addLearningPathMedia;
}
