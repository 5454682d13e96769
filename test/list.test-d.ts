/** The list API's types: what a walk yields, what `await` gives, which filters compile. */
import { describe, expectTypeOf, test } from "vitest";
import type {
  Connection,
  ConnectionList,
  ConnectionPage,
  ConnectionStatus,
  ConnectionStatusFilter,
  NectarClient,
} from "../src/index.ts";

declare const client: NectarClient;
declare const companyId: string;

describe("connections.list", () => {
  test("returns a ConnectionList: connections by for await, pages by .pages(), the first page by await", async () => {
    const list = client.connections.list(companyId);
    expectTypeOf(list).toEqualTypeOf<ConnectionList>();
    expectTypeOf(list).toMatchTypeOf<AsyncIterable<Connection>>();
    expectTypeOf(list.pages()).toEqualTypeOf<AsyncIterable<ConnectionPage>>();
    expectTypeOf(await list).toEqualTypeOf<ConnectionPage>();
    expectTypeOf(list.toArray({ max: 10 })).toEqualTypeOf<Promise<Connection[]>>();
    expectTypeOf<ConnectionPage["connections"]>().toEqualTypeOf<Connection[]>();
  });

  test("the status filter takes the 12 documented values: not DEACTIVATED, not any string", () => {
    expectTypeOf(client.connections.list).toBeCallableWith(companyId, {
      status: "PASSWORD_INCORRECT",
      connectionOwnerEmail: "energy.manager@acme.example",
      sites: ["2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b"],
      limit: 500,
      pageConcurrency: 2,
    });
    expectTypeOf<"DEACTIVATED">().not.toMatchTypeOf<ConnectionStatusFilter>();
    expectTypeOf<"SUSPENDED">().not.toMatchTypeOf<ConnectionStatusFilter>();
    // @ts-expect-error DEACTIVATED is a status, not a filter value Nectar documents
    client.connections.list(companyId, { status: "DEACTIVATED" });
  });

  test("a connection's status type is the documented union (the schema itself is open)", () => {
    expectTypeOf<"DEACTIVATED">().toMatchTypeOf<ConnectionStatus>();
    expectTypeOf<ConnectionStatus>().not.toEqualTypeOf<string>();
  });

  test("ping resolves to a body of undocumented shape", () => {
    expectTypeOf(client.ping()).resolves.toEqualTypeOf<unknown>();
  });
});
