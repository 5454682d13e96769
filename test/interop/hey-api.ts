/**
 * An integrator's code on the SDK @hey-api/openapi-ts generates from the spec
 * (`generated/hey/`, written by test/interop.test.ts), with its zod schemas: it calls every
 * operation of the mock and parses each 2xx body with the generated schema.
 */
import { createClient, createConfig } from "./generated/hey/client/index.js";
import {
  createReconnectInvitation,
  listCompanyConnections,
  ping,
  retrieveConnection,
  retrieveInvitation,
  revokeInvitation,
} from "./generated/hey/sdk.gen.js";
import {
  zConnection,
  zConnectionPage,
  zInvitation,
  zInvitationDetail,
} from "./generated/hey/zod.gen.js";
import type { Summary, Target } from "./target.js";

export async function callEveryOperation(target: Target): Promise<Summary> {
  const client = createClient(
    createConfig({ baseUrl: target.baseUrl, auth: () => target.apiKey, throwOnError: true }),
  );
  const connection = await retrieveConnection({
    client,
    path: { connection_id: target.connectionId },
  });
  const page = await listCompanyConnections({
    client,
    path: { company_id: target.companyId },
    query: { limit: 2, page: 1, sites: target.sites, status: "PASSWORD_INCORRECT" },
  });
  const pinged = await ping({ client });
  const created = await createReconnectInvitation({
    client,
    path: { connection_id: target.connectionId },
    body: { maxUses: 1 },
  });
  const invitation = zInvitation.parse(created.data);
  const revoked = await revokeInvitation({ client, path: { invitation_id: invitation.id } });
  const detail = await retrieveInvitation({ client, path: { invitation_id: invitation.id } });
  return {
    statuses: {
      retrieveConnection: connection.response.status,
      listCompanyConnections: page.response.status,
      ping: pinged.response.status,
      createReconnectInvitation: created.response.status,
      revokeInvitation: revoked.response.status,
      retrieveInvitation: detail.response.status,
    },
    token: invitation.token,
    connectionStatus: zConnection.parse(connection.data).status,
    pageIds: zConnectionPage.parse(page.data).connections.map((item) => item.id),
    finalStatus: zInvitationDetail.parse(detail.data).status,
  };
}

/** Parses a connection with the generated zod schema; `undefined` when it is refused. */
export function parseConnection(value: unknown): { status?: string | undefined } | undefined {
  const result = zConnection.safeParse(value);
  return result.success ? result.data : undefined;
}
