/**
 * What both consumers (`consumer.cjs`, `consumer.mjs`) report: the Node version, the library's
 * export names, a retrieve of the realistic example connection and a 404 from the tarball's mock
 * server (started here, on 127.0.0.1, and always closed).
 */
"use strict";

const EXAMPLE_ID = "8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13";
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

async function report(library, mock, extra) {
  const server = await mock.startMockServer();
  try {
    const client = library.createNectarClient({
      apiKey: server.apiKey,
      baseUrl: server.url,
      maxRetries: 0,
    });
    const connection = await client.connections.retrieve(EXAMPLE_ID);
    const notFound = await client.connections.retrieve(UNKNOWN_ID).then(
      () => "no error",
      (error) => (error instanceof library.NectarNotFoundError ? error.status : String(error)),
    );
    return {
      node: process.versions.node,
      ...extra,
      exports: Object.keys(library).sort(),
      retrieved: connection.id,
      health: library.connectionHealth(connection).group,
      notFound,
      requests: server.stats.requests,
    };
  } finally {
    await server.close();
  }
}

module.exports = { report };
