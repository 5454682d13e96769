/** What each generated client is pointed at, and what it reports back (test/interop.test.ts). */

/** The mock to call, and the ids it knows. */
export interface Target {
  baseUrl: string;
  apiKey: string;
  connectionId: string;
  companyId: string;
  sites: string[];
}

/** What one generated client got from every operation. */
export interface Summary {
  /** The HTTP status of each operation, by operationId. */
  statuses: Record<string, number>;
  /** The created invitation's token, read through the generated type of the 201 body. */
  token: string;
  /** The retrieved connection's status. */
  connectionStatus: string | undefined;
  /** The ids of the listed page. */
  pageIds: string[];
  /** The revoked invitation's status, retrieved after the revoke. */
  finalStatus: string;
}
