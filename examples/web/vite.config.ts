import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { WEB_EXAMPLE_PORT } from '../../infra/local/web-example.js';

/**
 * The example page's dev server (started by `npm run web`, infra/local/web-main.ts) on the port whose
 * origins the local bucket allows (CORS). VITE_GRAPHQL_URL and VITE_API_KEY point it at an API other
 * than the default `npm start`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  server: { port: WEB_EXAMPLE_PORT, strictPort: true },
});
