/**
 * A 404 from a base URL without the API's version (`https://external.nectarclimate.com`, no
 * `/v2.2`) says so: the library's `NectarNotFoundError` carries a `hint` (and its message ends
 * with it), and the CLI prints it in its one error line. Over a real socket: the mock answers
 * 404 for every path outside `/v2.2`, as Nectar does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MISSING_VERSION_HINT } from "../src/core/errors.js";
import { createNectarClient, NectarNotFoundError } from "../src/index.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { runCli as cli, expectOneErrorLine } from "./helpers/cli.js";
import { connections, TEST_API_KEY } from "./helpers/fixtures.js";

const ID = connections.passwordIncorrect().id;
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

let mock: MockServer;
let origin: string;

beforeAll(async () => {
  mock = await startMockServer({ apiKey: TEST_API_KEY });
  origin = new URL(mock.url).origin;
});
afterAll(() => mock.close());

/** The error `retrieve(id)` rejects with against `baseUrl`. */
async function notFound(baseUrl: string, id: string): Promise<NectarNotFoundError> {
  const client = createNectarClient({ apiKey: TEST_API_KEY, baseUrl, maxRetries: 0 });
  const error = await client.connections.retrieve(id).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(NectarNotFoundError);
  return error as NectarNotFoundError;
}

describe("the library", () => {
  it.each(["", "/", "/api", "/version2"])(
    "hints at the version when the base URL's path is %j",
    async (path) => {
      const error = await notFound(`${origin}${path}`, ID);
      expect(error.status).toBe(404);
      expect(error.hint).toBe(MISSING_VERSION_HINT);
      expect(error.message).toMatch(
        /^GET \/connection\/[0-9a-f-]+ failed with status 404.*\. Hint: /,
      );
      expect(error.message.endsWith(`Hint: ${MISSING_VERSION_HINT}.`)).toBe(true);
    },
  );

  it("does not hint when the base URL has a version: the id is what is missing", async () => {
    const error = await notFound(mock.url, UNKNOWN_ID);
    expect(mock.url).toMatch(/\/v2\.2$/);
    expect(error.hint).toBeUndefined();
    expect(error.message).not.toContain("Hint");
  });

  it("takes any version segment as one (/v3, /proxy/v2)", async () => {
    for (const path of ["/v3", "/proxy/v2"]) {
      const error = await notFound(`${origin}${path}`, ID);
      expect(error.hint, path).toBeUndefined();
    }
  });
});

describe("the CLI", () => {
  it("prints the hint in its one error line (exit 3)", async () => {
    const run = await cli(["get", ID, "--base-url", origin, "--api-key", TEST_API_KEY]);
    expect(run.code).toBe(3);
    expectOneErrorLine(run);
    expect(run.stderr).toContain(`Hint: ${MISSING_VERSION_HINT}.`);
    expect(run.stderr).toContain("/v2.2");
  });

  it("says nothing of the version for a 404 of an unknown id under /v2.2", async () => {
    const run = await cli(["get", UNKNOWN_ID, "--base-url", mock.url, "--api-key", TEST_API_KEY]);
    expect(run.code).toBe(3);
    expectOneErrorLine(run);
    expect(run.stderr).not.toContain("Hint");
  });
});
