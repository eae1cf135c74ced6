/**
 * A frontend built on the published Amplify JS 6 client, run as its own Node process so that it
 * trusts the local certificate the way a developer's would (NODE_EXTRA_CA_CERTS). It subscribes to
 * the given subscriptions and prints one JSON line per subscription ack and per event.
 *
 * Usage: amplify-subscriber.ts <graphqlUrl> <auth> <subscription document>...
 * where <auth> is `apiKey:<key>` or `userPool:<token>` (a signed-in user, as Amplify Auth would
 * hold one; given to Amplify through its custom token provider).
 */
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { decodeJWT } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';
import WebSocket from 'ws';

// Node 20 has no global WebSocket; Amplify uses whatever the global is, as in a browser.
Object.assign(globalThis, { WebSocket });

const [endpoint, auth, ...documents] = process.argv.slice(2);
const [mode, credential] = (auth ?? '').split(/:(.*)/s);
if (!endpoint || !credential || (mode !== 'apiKey' && mode !== 'userPool') || documents.length === 0) {
  throw new Error('usage: <graphqlUrl> apiKey:<key>|userPool:<token> <subscription>...');
}
const print = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

if (mode === 'apiKey') {
  Amplify.configure({ API: { GraphQL: { endpoint, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: credential } } });
} else {
  // Amplify sends the access token in userPool mode; the local stack reads the same claims from it.
  const token = decodeJWT(credential);
  Amplify.configure(
    {
      Auth: { Cognito: { userPoolId: 'us-east-1_localdev', userPoolClientId: 'local-development-client' } },
      API: { GraphQL: { endpoint, region: 'us-east-1', defaultAuthMode: 'userPool' } },
    },
    { Auth: { tokenProvider: { getTokens: async () => ({ accessToken: token, idToken: token }) } } },
  );
}
Hub.listen('api', ({ payload }) => {
  if (payload.event === 'Subscription ack') print({ ack: (payload.data as { query: string }).query });
});

const client = generateClient();
for (const query of documents) {
  const observable = client.graphql({ query }) as unknown as {
    subscribe(observer: { next(value: { data: unknown }): void; error(error: unknown): void }): void;
  };
  observable.subscribe({
    next: ({ data }) => print({ event: data }),
    error: (error) => print({ error: JSON.stringify(error) }),
  });
}
