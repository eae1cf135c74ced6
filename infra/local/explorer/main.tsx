/**
 * The local API explorer: GraphiQL (from npm, bundled by the local stack) with an auth panel that
 * calls the API the way each of its auth modes does, locally as in the AppSync console.
 */
import 'graphiql/style.css';
import './explorer.css';
import type { Fetcher, FetcherOpts, FetcherParams } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { getOperationAST, type OperationDefinitionNode, parse } from 'graphql';
import { useCallback, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AppSyncRealtimeClient } from '../../../client/browser/appsync-realtime.js';
import { isFresh, type LocalSession, signInLocally } from '../../../client/browser/local-sign-in.js';
import { localIamHeaders } from '../iam-signing.js';

interface ExplorerConfig {
  apiKey: string;
}

type Mode = 'apiKey' | 'user' | 'iam' | 'none';

const MODES: { value: Mode; label: string }[] = [
  { value: 'apiKey', label: 'API key (reads, subscriptions)' },
  { value: 'user', label: 'Local user (Cognito user pool)' },
  { value: 'iam', label: 'IAM (back-end role)' },
  { value: 'none', label: 'No credentials' },
];

const config = JSON.parse(document.getElementById('explorer-config')?.textContent ?? '{}') as ExplorerConfig;
const graphqlUrl = new URL('/graphql', location.href).href;
const realtimeUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql/realtime`;

const DEFAULT_QUERY = `# Learning paths API. Pick the auth mode above:
#  API key: reads and subscriptions
#  Local user: the same user, sub included, as
#    npm run -s token -- --user NAME
#  IAM: a back-end job of the AWS account
# Ctrl-Enter runs the query; Docs (top left)
# lists every operation and argument.
query FirstPage {
  learningPaths(limit: 5) {
    items { id name owner version }
    nextToken
  }
}
`;

const stored = <T,>(key: string, fallback: T): T => {
  try {
    return (JSON.parse(localStorage.getItem(`explorer.${key}`) ?? 'null') as T | null) ?? fallback;
  } catch {
    return fallback;
  }
};
const store = (key: string, value: unknown) => localStorage.setItem(`explorer.${key}`, JSON.stringify(value));

/** Sends HTTP operations and opens AppSync real-time subscriptions with the headers of the chosen mode. */
function appSyncFetcher(authHeaders: (body: string) => Promise<Record<string, string>>): Fetcher {
  return async (params: FetcherParams, options?: FetcherOpts) => {
    const operation = selectedOperation(params);
    const body = JSON.stringify({ query: params.query, variables: params.variables ?? {}, operationName: operation?.name?.value });
    const headers = { ...(await authHeaders(body)), ...options?.headers };
    if (operation?.operation === 'subscription') return subscription(params, headers);
    const response = await fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { errors: [{ message: `HTTP ${response.status}: ${text}` }] };
    }
  };
}

/**
 * The operation to run, from the query text: GraphiQL's parsed document and operation name can
 * lag behind a change of the text for a moment; a lone operation is the one.
 */
function selectedOperation(params: FetcherParams): OperationDefinitionNode | undefined {
  try {
    const parsed = parse(params.query);
    return getOperationAST(parsed, params.operationName ?? undefined) ?? getOperationAST(parsed) ?? undefined;
  } catch {
    return undefined;
  }
}

function subscription(params: FetcherParams, headers: Record<string, string>) {
  const { 'content-type': _type, ...auth } = headers;
  return {
    subscribe(observer: { next: (value: unknown) => void; error: (error: unknown) => void }) {
      const client = new AppSyncRealtimeClient(realtimeUrl, auth);
      client.subscribe(params.query, params.variables ?? {}, {
        next: (data) => observer.next({ data }),
        error: (error) => observer.error(error),
      });
      return { unsubscribe: () => client.close() };
    },
  };
}

function Explorer() {
  const [mode, setMode] = useState<Mode>(stored('mode', 'apiKey'));
  const [userName, setUserName] = useState<string>(stored('user', 'alice'));
  const [admin, setAdmin] = useState<boolean>(stored('admin', false));
  const [session, setSession] = useState<LocalSession | undefined>(stored('session', undefined));
  const [problem, setProblem] = useState<string>('');

  const signIn = useCallback(async () => {
    try {
      const next = await signInLocally(graphqlUrl, userName.trim(), admin ? ['admins'] : []);
      setSession(next);
      store('session', next);
      setProblem('');
      return next;
    } catch (error) {
      setProblem((error as Error).message);
      throw error;
    }
  }, [userName, admin]);

  const fetcher = useMemo(
    () =>
      appSyncFetcher(async (body) => {
        switch (mode) {
          case 'apiKey':
            return { 'x-api-key': config.apiKey };
          case 'iam':
            return localIamHeaders(graphqlUrl, body);
          case 'none':
            return {};
          case 'user': {
            // A session outlives its one-hour token when the page stays open: sign in again.
            const current = session && isFresh(session) ? session : await signIn();
            return { authorization: current.token };
          }
        }
      }),
    [mode, session, signIn],
  );

  const choose = (next: Mode) => {
    setMode(next);
    store('mode', next);
  };

  return (
    <div className="explorer">
      <header className="auth-panel">
        <h1>Learning paths API · explorer</h1>
        <label>
          Auth mode{' '}
          <select value={mode} onChange={(event) => choose(event.target.value as Mode)} aria-label="Auth mode">
            {MODES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        {mode === 'apiKey' && (
          <span className="auth-detail">
            x-api-key: <code>{config.apiKey}</code>
          </span>
        )}
        {mode === 'iam' && <span className="auth-detail">SigV4 as the local back-end role (owner: its ARN)</span>}
        {mode === 'none' && <span className="auth-detail">no header: the API answers HTTP 401</span>}
        {mode === 'user' && (
          <form
            className="auth-detail"
            onSubmit={(event) => {
              event.preventDefault();
              signIn().catch(() => undefined);
            }}
          >
            <label>
              User{' '}
              <input
                value={userName}
                size={12}
                onChange={(event) => {
                  setUserName(event.target.value);
                  store('user', event.target.value);
                }}
                aria-label="User name"
              />
            </label>
            <label>
              <input
                type="checkbox"
                checked={admin}
                onChange={(event) => {
                  setAdmin(event.target.checked);
                  store('admin', event.target.checked);
                }}
              />{' '}
              admins
            </label>
            <button type="submit">Sign in</button>
            <output aria-live="polite" className="session">
              {session
                ? `Signed in as ${session.user}${session.groups.length ? ` (${session.groups.join(', ')})` : ''}, sub ${session.sub}`
                : 'Not signed in'}
            </output>
          </form>
        )}
        {problem && (
          <span role="alert" className="problem">
            {problem}
          </span>
        )}
      </header>
      <div className="graphiql-host">
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />
      </div>
    </div>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<Explorer />);
