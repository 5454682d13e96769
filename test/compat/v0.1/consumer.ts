/**
 * The consumer of release 0.1 (nectar-climate-connection 0.1.0, nectar-climate-connection-types
 * 2.2.0), kept as it was: the breaking-change gate (`test/compat.test.ts`) type-checks it against
 * every new build and every spec edit, and runs it against the mock. Edit it only to record the
 * usage of a new release (in a new `test/compat/vX.Y/` folder); a failure here means a release
 * would break code like this.
 *
 * It uses both packages as their users do: it reads fields of a retrieved connection, builds
 * fixtures typed with the types package (null where the API allows it), lists the documented
 * statuses, and calls the raw openapi-fetch client and a bare openapi-fetch client typed with the
 * types package's `paths`.
 */
import {
  type Connection,
  type ConnectionStatus,
  connectionHealth,
  createNectarClient,
  isNectarError,
  NectarNotFoundError,
} from "nectar-climate-connection";
import { startMockServer } from "nectar-climate-connection/mock";
import type * as Types from "nectar-climate-connection-types";
import createClient from "openapi-fetch";

const SEED_ID = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

/** Every status 0.1 documented: a status may be added, none may go. */
const ALL_STATUSES: Types.ConnectionStatus[] = [
  "PENDING",
  "UNDER_INVESTIGATION",
  "CONNECTED",
  "MFA_TOKEN_EXPIRED",
  "PASSWORD_INCORRECT",
  "NEW_PASSWORD_NEEDED",
  "ADDITIONAL_CREDENTIALS_NEEDED",
  "WEBSITE_DOWN",
  "NO_ACCOUNTS_FOUND",
  "OTHER_ERROR",
  "COMPANY_INACTIVE",
  "DEACTIVATED",
  "URL_INACCESSIBLE",
];

/** A fixture as a user's own tests build it: every field 0.1 had, null where 0.1 allowed it. */
const FIXTURE: Types.Connection = {
  id: SEED_ID,
  created: "2023-11-07T05:31:56Z",
  publicCompanyId: "company",
  connectionMagicLinkSecret: "fixture-secret",
  statusLastUpdateTime: null,
  statusFirstSeenTime: null,
  statusErrorDetail: null,
  updated: "2023-11-07T05:31:56Z",
  externalId: null,
  datasource: { name: "Utility", url: "https://utility.example" },
  accounts: [
    {
      id: SEED_ID,
      meters: [],
      isTracked: true,
      isDuplicated: false,
      accountNumber: "42",
      dataCollectionStartDate: null,
      isCollectingInvoiceData: true,
      isCollectingSmartMeterData: false,
      datasourceTypes: ["ELECTRICITY"],
      lastServiceDate: "2024-01-01",
      status: "ACTIVE",
      statusLastUpdateTime: null,
      statusFirstSeenTime: null,
      statusErrorDetail: null,
    },
  ],
  company: { id: SEED_ID, name: "Company", externalId: "c-1" },
  url: null,
  status: "CONNECTED",
  country: "US",
  initialSites: [SEED_ID],
  initialDatasourceTypes: ["ELECTRICITY"],
  username: null,
  workflowOwnerEmail: null,
  dataCollectionStartDate: null,
  multiplyByOccupancy: false,
  isActive: true,
};

/** Every field a 0.1 user could read, through the main package's `Connection`. */
function summary(connection: Connection): string {
  const status: ConnectionStatus | undefined = connection.status;
  const parts: (string | number | boolean | null | undefined)[] = [
    connection.id,
    connection.created,
    connection.updated,
    connection.externalId,
    connection.statusErrorDetail,
    connection.statusLastUpdateTime,
    connection.statusFirstSeenTime,
    connection.datasource?.name,
    connection.company?.name,
    connection.url,
    connection.country,
    connection.username,
    connection.workflowOwnerEmail,
    connection.dataCollectionStartDate,
    connection.multiplyByOccupancy,
    connection.isActive,
    connection.accounts?.length,
    connection.initialSites?.length,
    connection.initialDatasourceTypes?.length,
    status,
  ];
  return parts.map(String).join("|");
}

const mock = await startMockServer();
try {
  const client = createNectarClient({ apiKey: mock.apiKey, baseUrl: mock.url, maxRetries: 0 });
  const connection = await client.connections.retrieve(SEED_ID);
  const asTypes: Types.Connection = connection;
  console.log(`retrieved ${asTypes.id} ${connectionHealth(connection).group}`);
  console.log(`fields ${summary(connection).split("|").length}`);
  console.log(`fixture ${connectionHealth(FIXTURE).group} ${ALL_STATUSES.length} statuses`);

  try {
    await client.connections.retrieve(UNKNOWN_ID);
    console.log("no error");
  } catch (error) {
    if (!(error instanceof NectarNotFoundError) || !isNectarError(error)) throw error;
    console.log(`not found ${error.status}`);
  }

  const raw = await client.raw.GET("/connection/{connection_id}", {
    params: { path: { connection_id: SEED_ID } },
  });
  console.log(`raw ${raw.response.status} ${raw.data?.id}`);

  const bare = createClient<Types.paths>({
    baseUrl: mock.url,
    headers: { "x-api-key": mock.apiKey },
  });
  const viaTypes = await bare.GET("/connection/{connection_id}", {
    params: { path: { connection_id: SEED_ID } },
  });
  const body: Types.Connection | undefined = viaTypes.data;
  console.log(`bare ${viaTypes.response.status} ${body?.status}`);
} finally {
  await mock.close();
}
