/**
 * `npm run web`: the example page (examples/web) on http://localhost:5173/, served by Vite, against
 * the API of `npm start` (or VITE_GRAPHQL_URL and VITE_API_KEY). It stops with its launcher, as
 * `npm start` does.
 */
import { join } from 'node:path';
import { createServer } from 'vite';
import { REPOSITORY_ROOT } from '../definitions.js';
import { stopTogether } from './lifetime.js';
import { WEB_EXAMPLE_PORT } from './web-example.js';

const graphqlUrl = process.env.VITE_GRAPHQL_URL ?? 'http://localhost:20002/graphql';
/** Another port works too, but uploads from it need that origin in the bucket's CORS rule (stack.ts). */
const port = process.env.WEB_PORT ? Number(process.env.WEB_PORT) : WEB_EXAMPLE_PORT;

try {
  const server = await createServer({
    configFile: join(REPOSITORY_ROOT, 'examples', 'web', 'vite.config.ts'),
    server: { port, strictPort: true },
    logLevel: 'warn',
  });
  await server.listen();
  const apiAnswers = await fetch(graphqlUrl, { method: 'POST' }).then(
    () => true,
    () => false,
  );
  console.log(
    [
      `Example page: http://localhost:${port}/`,
      `  API:        ${graphqlUrl}${apiAnswers ? '' : '   (nothing answers there yet: run npm start in another terminal)'}`,
      'Ctrl-C stops it.',
    ].join('\n'),
  );
  stopTogether(() => server.close());
} catch (error) {
  console.error(`Could not start the example page: ${(error as Error).message}`);
  process.exit(1);
}
