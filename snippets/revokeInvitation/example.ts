import { createNectarClient } from "nectar-climate-connection";

// The API key comes from NECTAR_API_KEY; NECTAR_BASE_URL is only for a mock or a proxy.
const nectar = createNectarClient({
  baseUrl: process.env.NECTAR_BASE_URL ?? "https://external.nectarclimate.com/v2.2",
});

const id = "5b0e8f3a-9c2d-4e71-8a6b-2f4d1c7e9a30";
// Resolves once Nectar accepted the revocation (any 2xx); its answer's body is not documented.
await nectar.invitations.revoke(id);
const { status } = await nectar.invitations.retrieve(id);
console.log(`Invitation ${id} is now ${status}`);
