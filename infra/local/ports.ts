import { createServer } from 'node:net';

/** A TCP port on the loopback interface that is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The address every local service listens on unless told otherwise. */
export const LOOPBACK_ADDRESS = '127.0.0.1';

/** The URL of a local service listening on the loopback interface. */
export const loopbackEndpoint = (port: number): string => `http://${LOOPBACK_ADDRESS}:${port}`;
