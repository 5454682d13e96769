/**
 * The runtime matrix's smoke script (plain JavaScript, ESM), run unchanged on every runtime of
 * `test/runtimes.test.ts` against the installed tarball: it creates a client, retrieves a
 * connection from the mock server, hits a 404 and checks the error class, and makes two calls
 * with `validateResponses: "strict"` (one valid answer, one that breaks the schema). It reports
 * what it saw as one JSON object; the test asserts it.
 *
 * Node, Bun and Deno run it as a program: the config comes as JSON in `NECTAR_SMOKE`, the report
 * goes to stdout. On workerd, a Worker that imports `smoke` (`test/helpers/workerd.ts`) takes the
 * config as the body of a POST and answers with the report; being bundled, it passes the
 * `validators` export to the strict client. (No default export here: Bun would
 * start a server for a default export with a `fetch` method.)
 */
import {
  createNectarClient,
  isNectarError,
  NectarNotFoundError,
  NectarResponseValidationError,
} from "nectar-climate-connection";

/** The runtime running this script and its version, as the runtime tells it. */
function runtime() {
  const { Deno, Bun, process, navigator } = globalThis;
  if (Deno !== undefined) return { name: "deno", version: Deno.version.deno };
  if (Bun !== undefined) return { name: "bun", version: Bun.version };
  if (navigator?.userAgent === "Cloudflare-Workers") return { name: "workerd", version: null };
  if (process?.release?.name === "node") return { name: "node", version: process.versions.node };
  return { name: "unknown", version: null };
}

/** What a rejected call threw, in the terms the test checks. */
function describeError(error) {
  return {
    name: error?.name,
    isNectarError: isNectarError(error),
    notFoundError: error instanceof NectarNotFoundError,
    validationError: error instanceof NectarResponseValidationError,
    status: error?.status,
    // Where the body broke the schema, each place once (a value can break a rule twice).
    pointers: error?.violations && [...new Set(error.violations.map((v) => v.pointer))],
  };
}

/** Awaits a call that must fail; returns what it threw (or `{ resolved: true }`). */
async function failure(promise) {
  try {
    await promise;
    return { resolved: true };
  } catch (error) {
    return describeError(error);
  }
}

/**
 * Runs the checks against `baseUrl` (the mock). `invalidId` is scripted by the test to answer
 * 200 with a body that breaks the schema. `validators` (from `nectar-climate-connection/validators`)
 * is passed by a bundled Worker; without it (Node, Bun, Deno) the client loads its own.
 */
export async function smoke({ baseUrl, apiKey, seedId, unknownId, invalidId }, validators) {
  const client = createNectarClient({ apiKey, baseUrl, maxRetries: 0 });
  const connection = await client.connections.retrieve(seedId);
  const notFound = await failure(client.connections.retrieve(unknownId));

  const strict = createNectarClient({
    apiKey,
    baseUrl,
    maxRetries: 0,
    validateResponses: "strict",
    ...(validators === undefined ? {} : { validators }),
  });
  const checked = await strict.connections.retrieve(seedId);
  const invalid = await failure(strict.connections.retrieve(invalidId));
  return {
    runtime: runtime(),
    retrieved: { id: connection.id, status: connection.status },
    notFound,
    strict: { id: checked.id, status: checked.status },
    strictInvalid: invalid,
  };
}

/**
 * What a strict client without `validators` does where it cannot load them (a bundled Worker):
 * its call rejects, before any check, with the error that says to pass them.
 */
export async function validationUnloadable({ baseUrl, apiKey, seedId }) {
  const strict = createNectarClient({
    apiKey,
    baseUrl,
    maxRetries: 0,
    validateResponses: "strict",
  });
  try {
    await strict.connections.retrieve(seedId);
    return { resolved: true };
  } catch (error) {
    return { name: error?.name, isNectarError: isNectarError(error), message: error?.message };
  }
}

const config = globalThis.Deno?.env.get("NECTAR_SMOKE") ?? globalThis.process?.env?.NECTAR_SMOKE;
if (typeof config === "string") {
  // A rejection here is unhandled: every runtime then exits non-zero with the error on stderr.
  smoke(JSON.parse(config)).then((report) => console.log(JSON.stringify(report)));
}
