/** The example web page (examples/web) served by `npm run web`: its dev-server port and origins. */
export const WEB_EXAMPLE_PORT = 5173;

/** Origins a browser shows for the example page on `port`; the local bucket's CORS rule allows them. */
export function webExampleOrigins(port: number): string[] {
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}
