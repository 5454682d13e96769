import { connectionHealth, createNectarClient } from "nectar-climate-connection";

// The API key comes from NECTAR_API_KEY; NECTAR_BASE_URL is only for a mock or a proxy.
const nectar = createNectarClient({
  baseUrl: process.env.NECTAR_BASE_URL ?? "https://external.nectarclimate.com/v2.2",
});

// Every connection of the company whose user must fix their password, page after page
// (500 a page; the walk stops at the last page, however Nectar answers past it).
const companyId = "6b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
for await (const connection of nectar.connections.list(companyId, {
  status: "PASSWORD_INCORRECT",
})) {
  const { summary } = connectionHealth(connection);
  console.log(`${connection.id} ${connection.workflowOwnerEmail ?? "(no owner)"}: ${summary}`);
}

// Or the first page alone, with the counts.
const page = await nectar.connections.list(companyId, { limit: 100 });
console.log(`${page.totalConnections} connections in ${page.totalPages} page(s)`);
