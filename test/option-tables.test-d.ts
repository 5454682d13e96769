/**
 * Each public function's options are checked by one table (`src/core/option-table.ts`), typed
 * against the options' interface. These type tests prove, key by key, that the table and the
 * type name the same options, and that every option is optional and accepts `undefined` (what
 * the run-time check treats as "not given"), under `exactOptionalPropertyTypes`.
 */
import { describe, expectTypeOf, test } from "vitest";
import type { CLIENT_OPTION_TABLE, REQUEST_OPTION_TABLE } from "../src/core/options.ts";
import type { UPDATE_LINK_URL_OPTION_TABLE } from "../src/helpers/magic-link.ts";
import type {
  CreateReconnectOptions,
  NectarClientOptions,
  NectarWaitTimeoutError,
  RequestOptions,
  RetrieveManyOptions,
  UpdateLinkOptions,
  UpdateLinkUrlOptions,
  WaitForOptions,
} from "../src/index.ts";
import type { MockFleetOptions, MockServerOptions, MockWebhookOptions } from "../src/mock/index.ts";
import type { MOCK_SERVER_OPTION_TABLE } from "../src/mock/options.ts";
import type { MOCK_WEBHOOK_OPTION_TABLE } from "../src/mock/webhook-options.ts";
import type {
  LIST_OPTION_TABLE,
  ListConnectionsOptions,
  TO_ARRAY_OPTION_TABLE,
  ToArrayOptions,
} from "../src/resources/connection-list.ts";
import type { UPDATE_LINK_OPTION_TABLE } from "../src/resources/connections.ts";
import type { CREATE_RECONNECT_OPTION_TABLE } from "../src/resources/invitation-input.ts";
import type { RETRIEVE_MANY_OPTION_TABLE } from "../src/resources/retrieve-many.ts";
import type { WAIT_FOR_OPTION_TABLE } from "../src/resources/wait.ts";
import type {
  WEBHOOK_DEDUPER_OPTION_TABLE,
  WebhookDeduperOptions,
} from "../src/webhooks/dedupe.ts";
import type { VERIFY_WEBHOOK_OPTION_TABLE, VerifyWebhookOptions } from "../src/webhooks/options.ts";
import type { SIGN_WEBHOOK_OPTION_TABLE, SignWebhookOptions } from "../src/webhooks/sign.ts";

/**
 * `true` for each key that is optional and accepts an explicit `undefined`, `false` otherwise.
 * (Under `exactOptionalPropertyTypes`, `{ a: undefined }` is not a `{ a?: number }`.)
 */
type OptionalAndUndefined<T> = {
  [K in keyof T]-?: Record<never, never> extends Pick<T, K>
    ? { [P in K]: undefined } extends Pick<T, K>
      ? true
      : false
    : false;
};
/** What {@link OptionalAndUndefined} is when every key passes. */
type AllTrue<T> = { [K in keyof T]-?: true };

describe("every options type: each key optional, each accepting undefined", () => {
  test("the client's and every call's", () => {
    expectTypeOf<OptionalAndUndefined<NectarClientOptions>>().toEqualTypeOf<
      AllTrue<NectarClientOptions>
    >();
    expectTypeOf<OptionalAndUndefined<RequestOptions>>().toEqualTypeOf<AllTrue<RequestOptions>>();
  });

  test("the resources'", () => {
    expectTypeOf<OptionalAndUndefined<RetrieveManyOptions>>().toEqualTypeOf<
      AllTrue<RetrieveManyOptions>
    >();
    expectTypeOf<OptionalAndUndefined<WaitForOptions>>().toEqualTypeOf<AllTrue<WaitForOptions>>();
    expectTypeOf<OptionalAndUndefined<UpdateLinkOptions>>().toEqualTypeOf<
      AllTrue<UpdateLinkOptions>
    >();
    expectTypeOf<OptionalAndUndefined<UpdateLinkUrlOptions>>().toEqualTypeOf<
      AllTrue<UpdateLinkUrlOptions>
    >();
    expectTypeOf<OptionalAndUndefined<CreateReconnectOptions>>().toEqualTypeOf<
      AllTrue<CreateReconnectOptions>
    >();
    expectTypeOf<OptionalAndUndefined<ListConnectionsOptions>>().toEqualTypeOf<
      AllTrue<ListConnectionsOptions>
    >();
    expectTypeOf<OptionalAndUndefined<ToArrayOptions>>().toEqualTypeOf<AllTrue<ToArrayOptions>>();
    expectTypeOf<OptionalAndUndefined<VerifyWebhookOptions>>().toEqualTypeOf<
      AllTrue<VerifyWebhookOptions>
    >();
    expectTypeOf<OptionalAndUndefined<WebhookDeduperOptions>>().toEqualTypeOf<
      AllTrue<WebhookDeduperOptions>
    >();
    expectTypeOf<OptionalAndUndefined<SignWebhookOptions>>().toEqualTypeOf<
      AllTrue<SignWebhookOptions>
    >();
  });

  test("the mock's (a fleet's size alone is required)", () => {
    expectTypeOf<OptionalAndUndefined<MockServerOptions>>().toEqualTypeOf<
      AllTrue<MockServerOptions>
    >();
    expectTypeOf<OptionalAndUndefined<MockFleetOptions>>().toEqualTypeOf<{
      size: false;
      seed: true;
    }>();
    expectTypeOf<OptionalAndUndefined<MockWebhookOptions>>().toEqualTypeOf<{
      url: false;
      secret: false;
      retryScheduleMs: true;
      timeoutMs: true;
      maxQueue: true;
      headerPrefix: true;
    }>();
  });

  test("a broken type would be caught: a key without undefined is not all true", () => {
    expectTypeOf<OptionalAndUndefined<{ a?: number }>>().not.toEqualTypeOf<
      AllTrue<{ a?: number }>
    >();
  });
});

describe("each table names exactly the keys of its type", () => {
  test("key by key", () => {
    expectTypeOf<keyof typeof CLIENT_OPTION_TABLE>().toEqualTypeOf<keyof NectarClientOptions>();
    expectTypeOf<keyof typeof REQUEST_OPTION_TABLE>().toEqualTypeOf<keyof RequestOptions>();
    expectTypeOf<keyof typeof RETRIEVE_MANY_OPTION_TABLE>().toEqualTypeOf<
      keyof RetrieveManyOptions
    >();
    expectTypeOf<keyof typeof WAIT_FOR_OPTION_TABLE>().toEqualTypeOf<keyof WaitForOptions>();
    expectTypeOf<keyof typeof UPDATE_LINK_OPTION_TABLE>().toEqualTypeOf<keyof UpdateLinkOptions>();
    expectTypeOf<keyof typeof UPDATE_LINK_URL_OPTION_TABLE>().toEqualTypeOf<
      keyof UpdateLinkUrlOptions
    >();
    expectTypeOf<keyof typeof CREATE_RECONNECT_OPTION_TABLE>().toEqualTypeOf<
      keyof CreateReconnectOptions
    >();
    expectTypeOf<keyof typeof MOCK_SERVER_OPTION_TABLE>().toEqualTypeOf<keyof MockServerOptions>();
    expectTypeOf<keyof typeof MOCK_WEBHOOK_OPTION_TABLE>().toEqualTypeOf<
      keyof MockWebhookOptions
    >();
    expectTypeOf<keyof typeof LIST_OPTION_TABLE>().toEqualTypeOf<keyof ListConnectionsOptions>();
    expectTypeOf<keyof typeof TO_ARRAY_OPTION_TABLE>().toEqualTypeOf<keyof ToArrayOptions>();
    expectTypeOf<keyof typeof VERIFY_WEBHOOK_OPTION_TABLE>().toEqualTypeOf<
      keyof VerifyWebhookOptions
    >();
    expectTypeOf<keyof typeof WEBHOOK_DEDUPER_OPTION_TABLE>().toEqualTypeOf<
      keyof WebhookDeduperOptions
    >();
    expectTypeOf<keyof typeof SIGN_WEBHOOK_OPTION_TABLE>().toEqualTypeOf<
      keyof SignWebhookOptions
    >();
  });

  test("retrieveMany declares maxResponseBytes, through RequestOptions", () => {
    expectTypeOf<RetrieveManyOptions>().toHaveProperty("maxResponseBytes");
  });

  test("waitFor declares deadlineMs, and timeoutMs still (its deprecated alias), both in its table", () => {
    expectTypeOf<WaitForOptions>().toHaveProperty("deadlineMs");
    expectTypeOf<WaitForOptions>().toHaveProperty("timeoutMs");
    expectTypeOf<typeof WAIT_FOR_OPTION_TABLE>().toHaveProperty("deadlineMs");
    expectTypeOf<typeof WAIT_FOR_OPTION_TABLE>().toHaveProperty("timeoutMs");
    expectTypeOf<{ deadlineMs: undefined }>().toExtend<WaitForOptions>();
    expectTypeOf<{ deadlineMs: number }>().toExtend<WaitForOptions>();
    expectTypeOf<{ deadlineMs: string }>().not.toExtend<WaitForOptions>();
    expectTypeOf<NectarWaitTimeoutError>().toHaveProperty("deadlineMs").toEqualTypeOf<number>();
    expectTypeOf<NectarWaitTimeoutError>().toHaveProperty("timeoutMs").toEqualTypeOf<number>();
  });
});
