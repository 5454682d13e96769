import { createNectarClient } from "nectar-climate-connection";

// The API key comes from NECTAR_API_KEY; NECTAR_BASE_URL is only for a mock or a proxy.
const nectar = createNectarClient({
  baseUrl: process.env.NECTAR_BASE_URL ?? "https://external.nectarclimate.com/v2.2",
});

const invitation = await nectar.invitations.retrieve("5b0e8f3a-9c2d-4e71-8a6b-2f4d1c7e9a30");
console.log(`${invitation.status}: used ${invitation.useCount} of ${invitation.maxUses ?? "∞"}`);
// The shape of each event is not documented by Nectar: log them as they come.
console.log(`${invitation.events?.length ?? 0} events`, invitation.events);
