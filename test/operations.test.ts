/**
 * The operation table `npm run generate` writes (`generated/operations.js`) against the spec,
 * and the client against the table: every operation of the spec has a method on the client that
 * sends it, and every method of the client sends an operation of the spec. Adding an operation to
 * the spec fails here until a method sends it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { operations } from "../generated/operations.js";
import type { NectarClient } from "../src/index.js";
import { createObservedClient, json } from "./helpers/client.js";
import { connections, invitations } from "./helpers/fixtures.js";

interface SpecOperation {
  operationId: string;
  "x-idempotent"?: boolean;
}
const spec = JSON.parse(
  readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"),
) as { paths: Record<string, Record<string, SpecOperation>> };

const ID = "8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13";

/** Each operation of the spec: its id, method and path. */
const specOperations = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => ["get", "post", "put", "patch", "delete"].includes(method))
    .map(([method, operation]) => ({
      id: operation.operationId,
      method: method.toUpperCase(),
      path,
      operation,
    })),
);

/**
 * The client's method that sends each operation: the one place a new operation is named. Its
 * keys must be exactly the spec's operationIds.
 */
const SENDS: Record<string, (client: NectarClient) => Promise<unknown>> = {
  retrieveConnection: (client) => client.connections.retrieve(ID),
  listCompanyConnections: async (client) => client.connections.list(ID),
  ping: (client) => client.ping(),
  createReconnectInvitation: (client) => client.invitations.createReconnect(ID),
  // The client refuses an invitation whose id is not the one asked for: ask for the fixture's.
  retrieveInvitation: (client) => client.invitations.retrieve(invitations.detailActive().id),
  revokeInvitation: (client) => client.invitations.revoke(ID),
};

/** The client's methods, as `resource.method` (or `method` on the client itself). */
function clientMethods(client: NectarClient): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(client)) {
    if (typeof value === "function") names.push(key);
    else if (typeof value === "object" && value !== null && key !== "raw") {
      for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(value))) {
        if (name !== "constructor") names.push(`${key}.${name}`);
      }
    }
  }
  return names.sort();
}

/** The method that is the client's own call of each operation, and the helpers built on one. */
const METHOD_OF: Record<string, string> = {
  "connections.retrieve": "retrieveConnection",
  "connections.list": "listCompanyConnections",
  ping: "ping",
  "invitations.createReconnect": "createReconnectInvitation",
  "invitations.retrieve": "retrieveInvitation",
  "invitations.revoke": "revokeInvitation",
  // Helpers: each sends the operation named, through the method above.
  "connections.retrieveMany": "retrieveConnection",
  "connections.waitFor": "retrieveConnection",
  "connections.updateLink": "retrieveConnection",
};

/** A body each operation accepts, so that the call succeeds. */
const BODIES: Record<string, unknown> = {
  retrieveConnection: connections.passwordIncorrect(),
  listCompanyConnections: {
    totalConnections: 0,
    perPage: 500,
    totalPages: 1,
    currentPage: 1,
    hasNext: false,
    hasPrevious: false,
    connections: [],
  },
  ping: {},
  createReconnectInvitation: invitations.reconnect(),
  retrieveInvitation: invitations.detailActive(),
  revokeInvitation: {},
};

/** The operation of the table whose method and path template match a request. */
function operationOf(method: string, url: string): string | undefined {
  const path = new URL(url).pathname.replace(/^\/v2\.2/, "");
  return Object.values(operations).find(
    (entry) =>
      entry.method === method &&
      new RegExp(`^${entry.path.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path),
  )?.operationId;
}

describe("the generated operation table", () => {
  test("holds every operation of the spec, with its method and path, and nothing else", () => {
    const table = Object.values(operations).map(({ operationId, method, path }) => ({
      id: operationId,
      method,
      path,
    }));
    expect(table.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      specOperations
        .map(({ id, method, path }) => ({ id, method, path }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  test("idempotency: from the method (GET yes, POST no) unless x-idempotent says otherwise", () => {
    for (const { id, method, operation } of specOperations) {
      const expected = operation["x-idempotent"] ?? method === "GET";
      expect(operations[id as keyof typeof operations].idempotent, id).toBe(expected);
    }
    expect(operations.revokeInvitation.idempotent).toBe(true);
    expect(operations.createReconnectInvitation.idempotent).toBe(false);
  });

  test("every path parameter is a uuid (the client checks them as such)", () => {
    for (const entry of Object.values(operations)) {
      for (const parameter of entry.pathParams)
        expect(parameter, entry.operationId).toMatchObject({ format: "uuid" });
    }
  });

  test("the 2xx schema: the body the client checks and types, absent when it is not relied on", () => {
    expect(
      Object.fromEntries(
        Object.values(operations).map((entry) => [
          entry.operationId,
          "schema" in entry ? entry.schema : undefined,
        ]),
      ),
    ).toEqual({
      createReconnectInvitation: "Invitation",
      listCompanyConnections: "ConnectionPage",
      ping: undefined,
      retrieveConnection: "Connection",
      retrieveInvitation: "InvitationDetail",
      revokeInvitation: undefined,
    });
  });

  test("the list's query parameters: form style, sites exploded", () => {
    expect(
      operations.listCompanyConnections.query.map(({ name, array, explode }) => ({
        name,
        array,
        explode,
      })),
    ).toEqual([
      { name: "connectionOwnerEmail", array: false, explode: true },
      { name: "limit", array: false, explode: true },
      { name: "page", array: false, explode: true },
      { name: "sites", array: true, explode: true },
      { name: "status", array: false, explode: true },
    ]);
  });
});

describe("the client against the table", () => {
  test("every operation of the spec has a method that sends it, and no method sends an unknown one", () => {
    expect(Object.keys(SENDS).sort()).toEqual(
      specOperations.map((operation) => operation.id).sort(),
    );
  });

  test.each(Object.keys(SENDS))(
    "%s is sent by its method, with the table's method and path",
    async (id) => {
      const { client, requests } = createObservedClient(() => json(200, BODIES[id]));
      await SENDS[id]?.(client);
      expect(requests.map((request) => operationOf(request.method, request.url))).toEqual([id]);
    },
  );

  test("every method of the client is the call of an operation, or a helper built on one", () => {
    const { client } = createObservedClient(() => json(200, {}));
    expect(clientMethods(client)).toEqual(Object.keys(METHOD_OF).sort());
    expect([...new Set(Object.values(METHOD_OF))].sort()).toEqual(Object.keys(SENDS).sort());
  });
});
