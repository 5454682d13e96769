/**
 * The mock the CLI's in-process tests point it at: the spec's examples, and a generated fleet
 * when asked, on 127.0.0.1 with the test key; and the flags that point a command at it.
 */
import { type MockServer, startMockServer } from "../../src/mock/index.js";
import { exampleConnections, TEST_API_KEY } from "./fixtures.js";

/** A started mock, the flags for it, and the ids of its generated fleet (after the examples). */
export interface CliMock {
  readonly mock: MockServer;
  /** `--base-url <its url> --api-key <the test key>`. */
  readonly against: string[];
  /** The fleet's ids (the examples come first in `mock.ids`). */
  readonly fleet: string[];
}

/** Starts the mock with the examples and, when given, a fleet of `size` from `seed`. */
export async function startCliMock(fleet?: { size: number; seed: number }): Promise<CliMock> {
  const examples = exampleConnections();
  const mock = await startMockServer({
    apiKey: TEST_API_KEY,
    connections: examples,
    ...(fleet === undefined ? {} : { fleet }),
  });
  const against = ["--base-url", mock.url, "--api-key", TEST_API_KEY];
  return { mock, against, fleet: mock.ids.slice(examples.length) };
}
