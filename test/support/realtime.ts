import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import WebSocket from 'ws';
import { localIdToken } from '../../infra/local/tokens.js';

interface Message {
  type: string;
  id?: string;
  payload?: { data?: Record<string, unknown>; errors?: unknown[] };
}

/**
 * A client of the AppSync real-time protocol (subprotocol `graphql-ws`, auth as a base64 `header`
 * query parameter and again in each subscription's extensions), as AppSync documents it. Subscribes
 * with the API key (read-only access) unless a local user is given.
 */
export async function subscribe(query: string, variables: Record<string, unknown> = {}, as: { user: string } | 'apiKey' = 'apiKey') {
  const stack = inject('localStack');
  const host = new URL(stack.graphqlUrl).host;
  const auth = as === 'apiKey' ? { host, 'x-api-key': stack.apiKey } : { host, Authorization: localIdToken({ user: as.user }) };
  const url = `${stack.realtimeUrl}?header=${Buffer.from(JSON.stringify(auth)).toString('base64')}&payload=e30=`;
  const socket = new WebSocket(url, 'graphql-ws');
  const received: Message[] = [];
  const waiters: { match: (message: Message) => boolean; resolve: (message: Message) => void }[] = [];
  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as Message;
    received.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.match(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  const next = (match: (message: Message) => boolean, timeoutMs = 10_000) =>
    new Promise<Message>((resolve, reject) => {
      const earlier = received.find(match);
      if (earlier) return resolve(earlier);
      const timer = setTimeout(() => reject(new Error(`no matching message; received ${JSON.stringify(received)}`)), timeoutMs);
      waiters.push({
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
    });

  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await next((message) => message.type === 'connection_ack');
  const id = randomUUID();
  socket.send(
    JSON.stringify({ id, type: 'start', payload: { data: JSON.stringify({ query, variables }), extensions: { authorization: auth } } }),
  );
  const ack = await next((message) => message.id === id && (message.type === 'start_ack' || message.type === 'error'));
  if (ack.type === 'error') throw new Error(`subscription refused: ${JSON.stringify(ack.payload)}`);
  return {
    /** The next data event of this subscription that satisfies `match`. */
    nextEvent: (match: (data: Record<string, unknown>) => boolean = () => true) =>
      next((message) => message.id === id && message.type === 'data' && match(message.payload?.data ?? {})).then(
        (message) => message.payload?.data ?? {},
      ),
    close: () => socket.close(),
  };
}
