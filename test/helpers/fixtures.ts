/** Fixtures read from the bundled spec: the named examples are the test data. */
import { readFileSync } from "node:fs";
import type {
  Connection,
  ConnectionEventV2,
  ConnectionUpdatedEventV2,
  ErrorBody,
  Invitation,
  InvitationDetail,
} from "../../generated/schema.js";

interface NamedExample {
  value: unknown;
}

const spec = JSON.parse(
  readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8"),
) as { components: { examples: Record<string, NamedExample> } };

const example = <T>(name: string): T => {
  const found = spec.components.examples[name];
  if (!found) throw new Error(`no example ${name} in generated/openapi.json`);
  return structuredClone(found.value) as T;
};

/** The three connection examples of the spec, fresh copies each call. */
export const connections = {
  seed: () => example<Connection>("ConnectionSeed"),
  passwordIncorrect: () => example<Connection>("ConnectionPasswordIncorrect"),
  deactivated: () => example<Connection>("ConnectionDeactivated"),
};

/**
 * The three connection examples in the mock's order, as Nectar's spec writes them: what a test
 * passes as `connections` to serve them beside a fleet (a fleet alone is served alone).
 */
export const exampleConnections = () => [
  connections.passwordIncorrect(),
  connections.deactivated(),
  connections.seed(),
];

/** The error-body examples of the spec. */
export const errorBodies = {
  badRequest: () => example<ErrorBody>("ErrorBadRequest"),
  unauthorized: () => example<ErrorBody>("ErrorUnauthorized"),
  forbidden: () => example<ErrorBody>("ErrorForbidden"),
  notFound: () => example<ErrorBody>("ErrorNotFound"),
  tooManyRequests: () => example<ErrorBody>("ErrorTooManyRequests"),
  serverError: () => example<ErrorBody>("ErrorServerError"),
};

/** The API key every test client uses; the redaction check looks for it everywhere. */
export const TEST_API_KEY = "nk_test_5f2c9e1a7b3d4e6f8a0b1c2d3e4f5a6b";

/** The password in the proxy tests' proxy URLs; never in an error, a log line or an inspection. */
export const TEST_PROXY_PASSWORD = "pr0xy-s3cret-9d8c7b6a";

/** The invitation examples of the spec (one created, two detailed), fresh copies each call. */
export const invitations = {
  reconnect: () => example<Invitation>("InvitationReconnect"),
  seed: () => example<Invitation>("InvitationSeed"),
  detailActive: () => example<InvitationDetail>("InvitationDetailActive"),
  detailRevoked: () => example<InvitationDetail>("InvitationDetailRevoked"),
};

/** The webhook examples of the spec (payloads, unsigned), fresh copies each call. */
export const webhookPayloads = {
  created: () => example<ConnectionEventV2>("ConnectionCreatedV2Pending"),
  updated: () => example<ConnectionUpdatedEventV2>("ConnectionUpdatedV2Connected"),
  validated: () => example<ConnectionEventV2>("ConnectionValidatedV2PasswordIncorrect"),
  catalog: () => example<ConnectionEventV2>("ConnectionCreatedV2Catalog"),
  catalogMay2025: () => example<ConnectionEventV2>("ConnectionCreatedV2CatalogMay2025"),
};

/** The endpoint secret the webhook tests sign with (32 random bytes); never in an error or log. */
export const TEST_WEBHOOK_SECRET = "whsec_GIPLoZ7sCStB9QA2aqHjfIxStJ6HfrufGnVTtMtEIBc=";

/**
 * The examples' magic-link secrets and invitation tokens (placeholders such as `<string>`
 * aside): none may show up in an error, a log line or an inspection.
 */
export const KNOWN_SECRETS: readonly string[] = [
  TEST_API_KEY,
  TEST_PROXY_PASSWORD,
  TEST_WEBHOOK_SECRET.slice("whsec_".length), // the key itself, with or without its prefix
  ...new Set(
    [
      ...Object.values(connections).map((make) => make().connectionMagicLinkSecret),
      ...Object.values(invitations).map((make) => make().token),
    ].filter((secret) => secret.length >= 12),
  ),
];
