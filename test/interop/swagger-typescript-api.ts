/**
 * An integrator's code on the client swagger-typescript-api generates from the spec
 * (`generated/sta/Api.ts`, written by test/interop.test.ts): it calls every operation of the
 * mock. It is type-checked (strict) before it runs. Where the generator cannot tell a success
 * body's content type (a `$ref`'d response component), its client does not parse the body and
 * `created.data` is `null` at run time: then reading the token below throws.
 */
import { Api, ConnectionStatusFilter } from "./generated/sta/Api.js";
import type { Summary, Target } from "./target.js";

export async function callEveryOperation(target: Target): Promise<Summary> {
  const api = new Api({
    baseUrl: target.baseUrl,
    baseApiParams: { headers: { "X-API-KEY": target.apiKey } },
  });
  const connection = await api.connection.retrieveConnection(target.connectionId);
  const page = await api.connection.listCompanyConnections(target.companyId, {
    limit: 2,
    page: 1,
    sites: target.sites,
    status: ConnectionStatusFilter.PASSWORD_INCORRECT,
  });
  const ping = await api.ping.ping();
  const created = await api.invitation.createReconnectInvitation(target.connectionId, {
    maxUses: 1,
  });
  const token: string = created.data.token;
  const revoked = await api.invitation.revokeInvitation(created.data.id);
  const detail = await api.invitation.retrieveInvitation(created.data.id);
  return {
    statuses: {
      retrieveConnection: connection.status,
      listCompanyConnections: page.status,
      ping: ping.status,
      createReconnectInvitation: created.status,
      revokeInvitation: revoked.status,
      retrieveInvitation: detail.status,
    },
    token,
    connectionStatus: connection.data.status,
    pageIds: page.data.connections.map((item) => item.id),
    finalStatus: detail.data.status,
  };
}
