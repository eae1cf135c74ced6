import type { IncomingMessage, Server } from 'node:http';

const HEADER_PROTOCOL = /^header-([A-Za-z0-9_-]+={0,2})$/;

/**
 * Amplify JS 6 sends the real-time connection's auth header as a `header-<base64url>` WebSocket
 * subprotocol, next to `graphql-ws`; the simulator reads it only from a `?header=` query parameter.
 * Before the simulator sees an upgrade, this moves such a subprotocol into the query parameter and
 * drops it from the offered protocols, so both forms work (AWS AppSync accepts both too).
 */
export function acceptHeaderSubprotocol(server: Server): void {
  server.prependListener('upgrade', (request: IncomingMessage) => {
    const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((protocol) => protocol.trim());
    const header = offered.map((protocol) => HEADER_PROTOCOL.exec(protocol)?.[1]).find((value) => value !== undefined);
    if (header === undefined) return;
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!url.searchParams.has('header')) {
      url.searchParams.set('header', Buffer.from(header, 'base64url').toString('base64'));
      request.url = `${url.pathname}${url.search}`;
    }
    request.headers['sec-websocket-protocol'] = offered.filter((protocol) => !HEADER_PROTOCOL.test(protocol)).join(', ');
  });
}
