/**
 * The generated types (`generated/schema.d.ts`, by openapi-typescript) say what the seed says:
 * checked by the compiler, not at run time.
 */
import { describe, expectTypeOf, test } from "vitest";
import type {
  Connection,
  ConnectionStatus,
  CountryCode,
  DatasourceType,
  ErrorBody,
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
