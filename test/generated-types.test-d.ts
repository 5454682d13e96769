/**
 * The generated types (`generated/schema.d.ts`, by openapi-typescript) say what the seed says:
 * checked by the compiler, not at run time.
 */
import { describe, expectTypeOf, test } from "vitest";
import type {
  Connection,
  ConnectionStatus,
  CountryCode,
  CreateReconnectInvitationRequest,
  DatasourceType,
  ErrorBody,
  Invitation,
  InvitationCreatedConnection,
  InvitationDetail,
  InvitationPrefill,
  InvitationStatus,
  InvitationType,
  paths,
} from "../generated/schema.js";

/** A connection with only its required fields. */
const minimal = {
  id: "3c90c3cc-0d44-4b50-8888-8dd25736052a",
  created: "2023-11-07T05:31:56Z",
  publicCompanyId: "acme-facilities-7Qk2",
  connectionMagicLinkSecret: "gAAAAABm",
  statusLastUpdateTime: null,
  statusFirstSeenTime: null,
  statusErrorDetail: null,
} satisfies Connection;

describe("Connection", () => {
  test("status is an optional ConnectionStatus, the union of the seed's 13 values", () => {
    expectTypeOf<Connection["status"]>().toEqualTypeOf<ConnectionStatus | undefined>();
    expectTypeOf<ConnectionStatus>().toEqualTypeOf<
      | "PENDING"
      | "UNDER_INVESTIGATION"
      | "CONNECTED"
      | "MFA_TOKEN_EXPIRED"
      | "PASSWORD_INCORRECT"
      | "NEW_PASSWORD_NEEDED"
      | "ADDITIONAL_CREDENTIALS_NEEDED"
      | "WEBSITE_DOWN"
      | "NO_ACCOUNTS_FOUND"
      | "OTHER_ERROR"
      | "COMPANY_INACTIVE"
      | "DEACTIVATED"
      | "URL_INACCESSIBLE"
    >();
  });

  test("a status the seed does not list does not compile", () => {
    // @ts-expect-error: older docs spell it INCORRECT_PASSWORD; v2.2 says PASSWORD_INCORRECT.
    const _status: ConnectionStatus = "INCORRECT_PASSWORD";
    expectTypeOf<"INCORRECT_PASSWORD">().not.toExtend<ConnectionStatus>();
  });

  test("a connection with only the required fields compiles", () => {
    expectTypeOf(minimal).toExtend<Connection>();
  });

  test("an object missing a required field does not compile as a Connection", () => {
    const { connectionMagicLinkSecret: _secret, ...withoutSecret } = minimal;
    // @ts-expect-error: connectionMagicLinkSecret is required.
    const _connection: Connection = withoutSecret;
    expectTypeOf<Omit<Connection, "id">>().not.toExtend<Connection>();
    expectTypeOf<Omit<Connection, "statusErrorDetail">>().not.toExtend<Connection>();
  });

  test("the required nullable fields are string | null, never undefined", () => {
    expectTypeOf<Connection["statusLastUpdateTime"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Connection["statusFirstSeenTime"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Connection["statusErrorDetail"]>().toEqualTypeOf<string | null>();
  });

  test("the optional nullable fields are string | null when present", () => {
    expectTypeOf<Required<Connection>["externalId"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Required<Connection>["url"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Required<Connection>["username"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Required<Connection>["workflowOwnerEmail"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Required<Connection>["dataCollectionStartDate"]>().toEqualTypeOf<string | null>();
  });

  test("the fields the seed does not allow to be null are not nullable", () => {
    expectTypeOf<Connection["id"]>().toEqualTypeOf<string>();
    expectTypeOf<Connection["created"]>().toEqualTypeOf<string>();
    expectTypeOf<Connection["publicCompanyId"]>().toEqualTypeOf<string>();
    expectTypeOf<Connection["isActive"]>().toEqualTypeOf<boolean | undefined>();
    // @ts-expect-error: id may not be null.
    const _nullId: Connection = { ...minimal, id: null };
  });

  test("initialDatasourceTypes is an optional list of DatasourceType", () => {
    expectTypeOf<Connection["initialDatasourceTypes"]>().toEqualTypeOf<
      DatasourceType[] | undefined
    >();
    expectTypeOf<"ELECTRICITY">().toExtend<DatasourceType>();
    expectTypeOf<"STEAM">().not.toExtend<DatasourceType>();
  });

  test("country is an optional CountryCode", () => {
    expectTypeOf<Connection["country"]>().toEqualTypeOf<CountryCode | undefined>();
    expectTypeOf<"AF" | "GB" | "US" | "AX">().toExtend<CountryCode>();
    expectTypeOf<"XX">().not.toExtend<CountryCode>();
  });
});

describe(`paths["/connection/{connection_id}"]["get"]`, () => {
  type Operation = paths["/connection/{connection_id}"]["get"];

  test("answers 200 with a Connection as application/json", () => {
    expectTypeOf<
      Operation["responses"][200]["content"]["application/json"]
    >().toEqualTypeOf<Connection>();
  });

  test("answers errors with an ErrorBody as application/json", () => {
    expectTypeOf<
      Operation["responses"][404]["content"]["application/json"]
    >().toEqualTypeOf<ErrorBody>();
    expectTypeOf<
      Operation["responses"]["5XX"]["content"]["application/json"]
    >().toEqualTypeOf<ErrorBody>();
  });

  test("takes connection_id as a string path parameter", () => {
    expectTypeOf<Operation["parameters"]["path"]>().toEqualTypeOf<{ connection_id: string }>();
  });
});

/** An invitation with only the fields the spec requires. */
const minimalInvitation = {
  id: "5b0e8f3a-9c2d-4e71-8a6b-2f4d1c7e9a30",
  token: "Xq4v8NpR2tLm7Kz9WbYc3Hd6",
  invitationType: "EDIT_CONNECTION",
  status: "ACTIVE",
  invitationUrl: "https://dash.nectarclimate.com/p/i/Xq4v8NpR2tLm7Kz9WbYc3Hd6",
} satisfies Invitation;

describe("Invitation", () => {
  test("status and invitationType are required unions of exactly the documented values", () => {
    expectTypeOf<Invitation["status"]>().toEqualTypeOf<InvitationStatus>();
    expectTypeOf<InvitationStatus>().toEqualTypeOf<
      "ACTIVE" | "EXPIRED" | "REVOKED" | "FULFILLED"
    >();
    expectTypeOf<Invitation["invitationType"]>().toEqualTypeOf<InvitationType>();
    expectTypeOf<InvitationType>().toEqualTypeOf<"CREATE_CONNECTION" | "EDIT_CONNECTION">();
  });

  test("a status or type Nectar does not list does not compile", () => {
    // @ts-expect-error: PENDING is a connection status, not an invitation status.
    const _status: InvitationStatus = "PENDING";
    // @ts-expect-error: "contributor" is the guide's name for CREATE_CONNECTION, not a value.
    const _type: InvitationType = "CONTRIBUTOR";
    expectTypeOf<"active">().not.toExtend<InvitationStatus>();
  });

  test("the five required fields are required, and non-nullable strings", () => {
    expectTypeOf(minimalInvitation).toExtend<Invitation>();
    expectTypeOf<Invitation["id"]>().toEqualTypeOf<string>();
    expectTypeOf<Invitation["token"]>().toEqualTypeOf<string>();
    expectTypeOf<Invitation["invitationUrl"]>().toEqualTypeOf<string>();
    const { token: _token, ...withoutToken } = minimalInvitation;
    // @ts-expect-error: token is required.
    const _invitation: Invitation = withoutToken;
    // @ts-expect-error: token may not be null.
    const _nullToken: Invitation = { ...minimalInvitation, token: null };
  });

  test("connectionId, expiresAt and maxUses are X | null when present", () => {
    expectTypeOf<Required<Invitation>["connectionId"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Required<Invitation>["expiresAt"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Required<Invitation>["maxUses"]>().toEqualTypeOf<number | null>();
  });

  test("the other optional fields are not nullable", () => {
    expectTypeOf<Invitation["companyId"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Invitation["useCount"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Invitation["createdAt"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Invitation["allowedEmails"]>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<Invitation["prefill"]>().toEqualTypeOf<InvitationPrefill | undefined>();
    expectTypeOf<Invitation["createdConnections"]>().toEqualTypeOf<
      InvitationCreatedConnection[] | undefined
    >();
    expectTypeOf<null>().not.toExtend<Invitation["useCount"]>();
  });

  test("a created connection's status is a plain string (its values are not documented)", () => {
    expectTypeOf<InvitationCreatedConnection["status"]>().toEqualTypeOf<string | undefined>();
  });
});

describe("InvitationDetail", () => {
  test("is an Invitation with an optional list of events of unknown shape", () => {
    expectTypeOf<InvitationDetail>().toExtend<Invitation>();
    expectTypeOf<Required<InvitationDetail>["events"]>().toEqualTypeOf<
      { [key: string]: unknown }[]
    >();
    expectTypeOf(minimalInvitation).toExtend<InvitationDetail>();
  });
});

describe("CreateReconnectInvitationRequest", () => {
  test("has the four documented fields, all optional", () => {
    expectTypeOf<Required<CreateReconnectInvitationRequest>>().toEqualTypeOf<{
      allowedEmails: string[];
      expiresInSeconds: number;
      maxUses: number;
      sendEmail: boolean;
    }>();
    expectTypeOf({}).toExtend<CreateReconnectInvitationRequest>();
    // @ts-expect-error: sendEmail is a boolean.
    const _request: CreateReconnectInvitationRequest = { sendEmail: "yes" };
  });
});

describe("the invitation paths", () => {
  type Create = paths["/invitation/connection/{connection_id}"]["post"];
  type Retrieve = paths["/invitation/{invitation_id}"]["get"];
  type Revoke = paths["/invitation/{invitation_id}/revoke"]["post"];

  test("create takes the request as JSON and answers 200 and 201 with an Invitation", () => {
    expectTypeOf<
      Create["requestBody"]["content"]["application/json"]
    >().toEqualTypeOf<CreateReconnectInvitationRequest>();
    expectTypeOf<
      Create["responses"][200]["content"]["application/json"]
    >().toEqualTypeOf<Invitation>();
    expectTypeOf<
      Create["responses"][201]["content"]["application/json"]
    >().toEqualTypeOf<Invitation>();
    expectTypeOf<Create["parameters"]["path"]>().toEqualTypeOf<{ connection_id: string }>();
  });

  test("retrieve answers 200 with an InvitationDetail", () => {
    expectTypeOf<
      Retrieve["responses"][200]["content"]["application/json"]
    >().toEqualTypeOf<InvitationDetail>();
    expectTypeOf<Retrieve["parameters"]["path"]>().toEqualTypeOf<{ invitation_id: string }>();
  });

  test("revoke sends no body and its success bodies are unknown (200, 201) or absent (204)", () => {
    expectTypeOf<Revoke["requestBody"]>().toEqualTypeOf<undefined>();
    expectTypeOf<
      Revoke["responses"][200]["content"]["application/json"]
    >().toEqualTypeOf<unknown>();
    expectTypeOf<
      Revoke["responses"][201]["content"]["application/json"]
    >().toEqualTypeOf<unknown>();
    expectTypeOf<Revoke["responses"][204]["content"]>().toEqualTypeOf<undefined>();
  });
});
