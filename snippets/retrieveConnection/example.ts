import { connectionHealth, createNectarClient, updateLinkUrl } from "nectar-climate-connection";

// The API key comes from NECTAR_API_KEY; NECTAR_BASE_URL is only for a mock or a proxy.
const nectar = createNectarClient({
  baseUrl: process.env.NECTAR_BASE_URL ?? "https://external.nectarclimate.com/v2.2",
});

const connection = await nectar.connections.retrieve("8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13");
const health = connectionHealth(connection);
console.log(`${connection.status}: ${health.summary}`);
if (health.needsUserAction) {
  // Built from the connection just fetched: no second request.
  console.log(`Send the user this link: ${updateLinkUrl(connection)}`);
}
