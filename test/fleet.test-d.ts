/** The fleet API's types: what `retrieveMany` yields and how it narrows, what `waitFor` takes. */
import { describe, expectTypeOf, test } from "vitest";
import type {
  BulkProgress,
  Connection,
  NectarClient,
  NectarError,
  NectarWaitTimeoutError,
  RetrieveManyResult,
} from "../src/index.ts";
import type { MockServer, MockStatusChange } from "../src/mock/index.ts";

declare const client: NectarClient;
declare const ids: string[];
declare const lines: AsyncIterable<string>;
declare const mock: MockServer;

describe("retrieveMany", () => {
  test("takes an iterable or an async iterable, and yields results that narrow on ok", () => {
    expectTypeOf(client.connections.retrieveMany(ids)).toEqualTypeOf<
      AsyncIterable<RetrieveManyResult>
    >();
    expectTypeOf(client.connections.retrieveMany).toBeCallableWith(lines, {
      signal: AbortSignal.timeout(1),
      onProgress: (progress: BulkProgress) => progress.total,
      dedupe: false,
    });
    const result = {} as RetrieveManyResult;
    if (result.ok) expectTypeOf(result.connection).toEqualTypeOf<Connection>();
    else expectTypeOf(result.error).toEqualTypeOf<NectarError>();
    expectTypeOf<BulkProgress["total"]>().toEqualTypeOf<number | undefined>();
  });
});

describe("waitFor", () => {
  test("resolves to a connection; until is a group, a list or a predicate", () => {
    expectTypeOf(client.connections.waitFor("id")).toEqualTypeOf<Promise<Connection>>();
    expectTypeOf(client.connections.waitFor).toBeCallableWith("id", { until: "healthy" });
    expectTypeOf(client.connections.waitFor).toBeCallableWith("id", {
      until: ["healthy", "inactive"],
    });
    expectTypeOf(client.connections.waitFor).toBeCallableWith("id", {
      until: (c: Connection) => c.status === "CONNECTED",
      onChange: (now: Connection, previous: Connection | undefined) => [now, previous],
    });
    // @ts-expect-error: not a health group
    client.connections.waitFor("id", { until: "fixed" });
    expectTypeOf<NectarWaitTimeoutError["lastStatus"]>().toEqualTypeOf<string | undefined>();
  });
});

describe("the mock's scripts", () => {
  test("take faults or a status change", () => {
    expectTypeOf(mock.script).toBeCallableWith("id", [{ status: 503 }]);
    expectTypeOf(mock.script).toBeCallableWith("id", { becomes: "CONNECTED", after: 3 });
    expectTypeOf<MockStatusChange["becomes"]>().toEqualTypeOf<Connection["status"] & string>();
    expectTypeOf(mock.ids).toEqualTypeOf<readonly string[]>();
  });
});
