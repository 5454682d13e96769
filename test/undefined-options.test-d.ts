/**
 * The calls issue 21 could not compile under `exactOptionalPropertyTypes`, written as a strict
 * app writes them: an option that may be absent is passed as `T | undefined`, at every public
 * function that takes options. (`test/options-undefined.test.ts` finds every options type and
 * passes `undefined` to each key; this file shows the calls themselves.)
 */
import { describe, expectTypeOf, test } from "vitest";
import {
  type Connection,
  createNectarClient,
  createWebhookDeduper,
  type Invitation,
  type NectarPromise,
  updateLinkUrl,
} from "../src/index.ts";
import { startMockServer } from "../src/mock/index.ts";

declare const maybeNumber: number | undefined;
declare const maybeString: string | undefined;
declare const maybeSignal: AbortSignal | undefined;
declare const cond: boolean;
declare const connection: Connection;
const id = "8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13";
const client = createNectarClient({
  apiKey: maybeString,
  baseUrl: maybeString,
  timeoutMs: maybeNumber,
});

describe("options that may be undefined, passed as they are", () => {
  test("retrieve(id, { timeoutMs: maybe }) and the other per-call options", () => {
    expectTypeOf(
      client.connections.retrieve(id, { timeoutMs: maybeNumber, signal: maybeSignal }),
    ).toEqualTypeOf<NectarPromise<Connection>>();
  });

  test("createReconnect(id, { allowedEmails: cond ? [x] : undefined })", () => {
    expectTypeOf(
      client.invitations.createReconnect(id, {
        allowedEmails: cond ? ["owner@example.com"] : undefined,
        expiresInSeconds: maybeNumber,
        maxUses: maybeNumber,
      }),
    ).toEqualTypeOf<NectarPromise<Invitation>>();
  });

  test("waitFor, retrieveMany, list, updateLink, updateLinkUrl, the deduper, the mock", () => {
    void client.connections.waitFor(id, { deadlineMs: maybeNumber, intervalMs: maybeNumber });
    void client.connections.waitFor(id, { timeoutMs: maybeNumber }); // the deprecated alias
    void client.connections.retrieveMany([id], { concurrency: maybeNumber });
    void client.connections.list(id, { limit: maybeNumber, connectionOwnerEmail: maybeString });
    void client.connections.updateLink(id, { dashboardUrl: maybeString });
    expectTypeOf(updateLinkUrl(connection, { dashboardUrl: maybeString })).toEqualTypeOf<string>();
    void createWebhookDeduper({ maxIds: maybeNumber, ttlSeconds: maybeNumber });
    void startMockServer({
      port: maybeNumber,
      latencyMs: maybeNumber,
      fleet: cond ? { size: 3 } : undefined,
    });
  });
});
