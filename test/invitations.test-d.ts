/**
 * The types of `client.invitations`, checked by the compiler: what each method resolves to and
 * which options it takes. The option and result types come from the generated schema, so a spec
 * change that renames a field breaks these at compile time.
 */
import { describe, expectTypeOf, test } from "vitest";
import type { components } from "../generated/schema.js";
import type {
  CreateReconnectOptions,
  Invitation,
  InvitationDetail,
  InvitationsResource,
  NectarClient,
  NectarPromise,
  WithResponse,
} from "../src/index.ts";

declare const client: NectarClient;
declare const id: string;

describe("client.invitations", () => {
  test("is an InvitationsResource", () => {
    expectTypeOf(client.invitations).toEqualTypeOf<InvitationsResource>();
  });

  test("createReconnect resolves to the generated Invitation", () => {
    expectTypeOf(client.invitations.createReconnect(id)).toEqualTypeOf<NectarPromise<Invitation>>();
    expectTypeOf<Invitation>().toEqualTypeOf<components["schemas"]["Invitation"]>();
    expectTypeOf(client.invitations.createReconnect(id).withResponse()).resolves.toEqualTypeOf<
      WithResponse<Invitation>
    >();
  });

  test("retrieve resolves to the detail, revoke to nothing", () => {
    expectTypeOf(client.invitations.retrieve(id)).toEqualTypeOf<NectarPromise<InvitationDetail>>();
    expectTypeOf(client.invitations.revoke(id)).toEqualTypeOf<NectarPromise<void>>();
  });

  test("createReconnect takes the documented fields and the per-call options", () => {
    expectTypeOf(client.invitations.createReconnect).toBeCallableWith(id, {
      allowedEmails: ["energy.manager@acme.example"],
      expiresInSeconds: 604_800,
      maxUses: 1,
      sendEmail: true,
      signal: new AbortController().signal,
      timeoutMs: 5_000,
      maxRetries: 0,
    });
    expectTypeOf<CreateReconnectOptions["allowedEmails"]>().toEqualTypeOf<string[] | undefined>();
    // @ts-expect-error: an undocumented key is refused, at compile time as at run time
    client.invitations.createReconnect(id, { prefill: {} });
    // @ts-expect-error: expiresInSeconds is a number of seconds, not a duration string
    client.invitations.createReconnect(id, { expiresInSeconds: "7d" });
    // @ts-expect-error: revoke takes per-call options only
    client.invitations.revoke(id, { sendEmail: true });
  });
});
