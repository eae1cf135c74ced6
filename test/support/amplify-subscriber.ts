/**
 * A frontend built on the published Amplify JS 6 client, run as its own Node process so that it
 * trusts the local certificate the way a developer's would (NODE_EXTRA_CA_CERTS). It subscribes to
 * the given subscriptions and prints one JSON line per subscription ack and per event.
 *
 * Usage: amplify-subscriber.ts <graphqlUrl> <apiKey> <subscription document>...
 */
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';
import WebSocket from 'ws';

// Node 20 has no global WebSocket; Amplify uses whatever the global is, as in a browser.
Object.assign(globalThis, { WebSocket });

const [endpoint, apiKey, ...documents] = process.argv.slice(2);
if (!endpoint || !apiKey || documents.length === 0) throw new Error('usage: <graphqlUrl> <apiKey> <subscription>...');
const print = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

Amplify.configure({ API: { GraphQL: { endpoint, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey } } });
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
