import { createNectarClient, NectarAuthenticationError } from "nectar-climate-connection";

// The API key comes from NECTAR_API_KEY; NECTAR_BASE_URL is only for a mock or a proxy.
const nectar = createNectarClient({
  baseUrl: process.env.NECTAR_BASE_URL ?? "https://external.nectarclimate.com/v2.2",
});

try {
  const { response } = await nectar.ping().withResponse();
  console.log(`key accepted by ${nectar.baseUrl} (server time ${response.headers.get("date")})`);
} catch (error) {
  if (error instanceof NectarAuthenticationError) console.error("key refused (401)");
  throw error;
}
