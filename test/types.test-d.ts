/**
 * The public API's types, checked by the compiler: what calls resolve to, which options exist,
 * and how the error classes narrow.
 */
import { describe, expectTypeOf, test } from "vitest";
import type { components } from "../generated/schema.js";
import {
  type Connection,
  type ConnectionHealth,
  type ConnectionStatus,
  connectionHealth,
  createNectarClient,
  type HealthGroup,
  isNectarError,
  NectarApiError,
  type NectarClient,
  NectarConnectionError,
  NectarError,
  NectarNotFoundError,
  type NectarPromise,
  NectarRateLimitError,
  NectarResponseValidationError,
  NectarTimeoutError,
  type UpdateLink,
  updateLinkUrl,
  type Violation,
  type WithResponse,
} from "../src/index.ts";

declare const client: NectarClient;
declare const id: string;
declare const caught: unknown;
declare const connection: Connection;

describe("createNectarClient", () => {
  test("returns a NectarClient, with or without options", () => {
    expectTypeOf(createNectarClient).returns.toEqualTypeOf<NectarClient>();
    expectTypeOf(createNectarClient).toBeCallableWith();
    expectTypeOf(createNectarClient).toBeCallableWith({ apiKey: "k", timeoutMs: 5_000 });
  });

  test("refuses a misspelled option", () => {
    createNectarClient({
      apiKey: "k",
      // @ts-expect-error -- the option is `timeoutMs`
      timeout: 5_000,
    });
    createNectarClient({
      apiKey: "k",
      // @ts-expect-error -- the option is `maxRetries`
      retries: 2,
    });
  });

  test("refuses a log level or validation mode that does not exist", () => {
    // @ts-expect-error -- no such level
    createNectarClient({ apiKey: "k", logLevel: "verbose" });
    // @ts-expect-error -- no such mode
    createNectarClient({ apiKey: "k", validateResponses: "loose" });
  });
});

describe("client.connections.retrieve", () => {
  test("resolves to the generated Connection", () => {
    expectTypeOf(client.connections.retrieve(id)).toEqualTypeOf<NectarPromise<Connection>>();
    expectTypeOf(client.connections.retrieve(id)).resolves.toEqualTypeOf<
      components["schemas"]["Connection"]
    >();
    expectTypeOf<
      Awaited<ReturnType<NectarClient["connections"]["retrieve"]>>
    >().toEqualTypeOf<Connection>();
  });

  test("withResponse() gives the data, the Response, the attempts and the request id", () => {
    const full = client.connections.retrieve(id).withResponse();
    expectTypeOf(full).resolves.toEqualTypeOf<WithResponse<Connection>>();
    expectTypeOf(full).resolves.toHaveProperty("data").toEqualTypeOf<Connection>();
    expectTypeOf(full).resolves.toHaveProperty("response").toEqualTypeOf<Response>();
    expectTypeOf(full).resolves.toHaveProperty("attempts").toEqualTypeOf<number>();
    expectTypeOf(full).resolves.toHaveProperty("requestId").toEqualTypeOf<string | undefined>();
  });

  test("then and catch keep the types of their callbacks", () => {
    const status = client.connections.retrieve(id).then((connection) => connection.status);
    expectTypeOf(status).resolves.toEqualTypeOf<ConnectionStatus | undefined>();
    const recovered = client.connections.retrieve(id).catch(() => null);
    expectTypeOf(recovered).resolves.toEqualTypeOf<Connection | null>();
  });

  test("accepts the request options and refuses a misspelled one", () => {
    client.connections.retrieve(id, { timeoutMs: 1_000, maxRetries: 0 });
    client.connections.retrieve(id, { signal: AbortSignal.timeout(1_000) });
    // @ts-expect-error -- the option is `timeoutMs`
    client.connections.retrieve(id, { timeout: 1_000 });
    // @ts-expect-error -- an id is a string
    client.connections.retrieve(42);
  });

  test("updateLink resolves to an UpdateLink with the url and the connection", () => {
    expectTypeOf(client.connections.updateLink(id)).resolves.toEqualTypeOf<UpdateLink>();
    expectTypeOf<UpdateLink["url"]>().toEqualTypeOf<string>();
    expectTypeOf<UpdateLink["connection"]>().toEqualTypeOf<Connection>();
    client.connections.updateLink(id, { dashboardUrl: "https://dash.example.com", timeoutMs: 1 });
  });
});

describe("error classes", () => {
  test("instanceof narrows to the class, with its own properties", () => {
    if (caught instanceof NectarRateLimitError) {
      expectTypeOf(caught).toEqualTypeOf<NectarRateLimitError>();
      expectTypeOf(caught.retryAfterMs).toEqualTypeOf<number | undefined>();
      expectTypeOf(caught.status).toEqualTypeOf<number>();
    }
    if (caught instanceof NectarTimeoutError) {
      expectTypeOf(caught.timeoutMs).toEqualTypeOf<number>();
      expectTypeOf(caught.attempts).toEqualTypeOf<number>();
    }
    if (caught instanceof NectarResponseValidationError) {
      expectTypeOf(caught.violations).toEqualTypeOf<readonly Violation[]>();
    }
  });

  test("retryAfterMs exists only on NectarRateLimitError", () => {
    if (caught instanceof NectarApiError) {
      expectTypeOf(caught.requestId).toEqualTypeOf<string | undefined>();
      expectTypeOf(caught.detail).toEqualTypeOf<string | undefined>();
      // @ts-expect-error -- only a 429 carries retryAfterMs
      caught.retryAfterMs;
    }
    if (caught instanceof NectarNotFoundError) {
      // @ts-expect-error -- a 404 is not a 429
      caught.retryAfterMs;
    }
  });

  test("a connection error has no HTTP status", () => {
    if (caught instanceof NectarConnectionError) {
      expectTypeOf(caught.attempts).toEqualTypeOf<number>();
      // @ts-expect-error -- no response, so no status
      caught.status;
    }
  });

  test("the base class and isNectarError narrow to NectarError", () => {
    if (caught instanceof NectarError) expectTypeOf(caught).toEqualTypeOf<NectarError>();
    if (isNectarError(caught)) {
      expectTypeOf(caught).toEqualTypeOf<NectarError>();
      expectTypeOf(caught.message).toEqualTypeOf<string>();
    }
  });

  test("the subclasses are assignable to their parents, not the other way", () => {
    expectTypeOf<NectarRateLimitError>().toExtend<NectarApiError>();
    expectTypeOf<NectarTimeoutError>().toExtend<NectarConnectionError>();
    expectTypeOf<NectarApiError>().toExtend<NectarError>();
    expectTypeOf<NectarError>().toExtend<Error>();
    expectTypeOf<NectarApiError>().not.toExtend<NectarRateLimitError>();
  });
});

describe("connectionHealth and updateLinkUrl", () => {
  test("connectionHealth accepts a connection, a status, any string, null and undefined", () => {
    expectTypeOf(connectionHealth(connection)).toEqualTypeOf<ConnectionHealth>();
    expectTypeOf(connectionHealth("CONNECTED")).toEqualTypeOf<ConnectionHealth>();
    expectTypeOf(connectionHealth("INCORRECT_PASSWORD")).toEqualTypeOf<ConnectionHealth>();
    expectTypeOf(connectionHealth).toBeCallableWith(null);
    expectTypeOf(connectionHealth).toBeCallableWith(undefined);
    expectTypeOf(connectionHealth).toBeCallableWith({ status: "PENDING" });
    // @ts-expect-error -- a number is not a status
    connectionHealth(42);
  });

  test("a reading has a group from the closed union", () => {
    expectTypeOf<ConnectionHealth["group"]>().toEqualTypeOf<HealthGroup>();
    expectTypeOf<HealthGroup>().toEqualTypeOf<
      "healthy" | "pending" | "needs_user_action" | "provider_issue" | "inactive" | "unknown"
    >();
    expectTypeOf<ConnectionHealth["needsUserAction"]>().toEqualTypeOf<boolean>();
  });

  test("updateLinkUrl takes a connection or just its two pieces", () => {
    expectTypeOf(updateLinkUrl(connection)).toEqualTypeOf<string>();
    updateLinkUrl({ publicCompanyId: "c", connectionMagicLinkSecret: "s" });
    // @ts-expect-error -- the secret is required
    updateLinkUrl({ publicCompanyId: "c" });
    // @ts-expect-error -- the option is `dashboardUrl`
    updateLinkUrl(connection, { dashboard: "https://dash.example.com" });
  });
});
