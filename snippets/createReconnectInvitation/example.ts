import { createNectarClient } from "nectar-climate-connection";

// The API key comes from NECTAR_API_KEY; NECTAR_BASE_URL is only for a mock or a proxy.
const nectar = createNectarClient({
  baseUrl: process.env.NECTAR_BASE_URL ?? "https://external.nectarclimate.com/v2.2",
});

// A reconnect invitation for a connection whose password was rejected: one use, a week long,
// emailed by Nectar to the one address allowed to use it. A create is never retried once
// Nectar may have acted on it, so a timeout cannot mint two invitations.
const invitation = await nectar.invitations.createReconnect(
  "8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13",
  {
    allowedEmails: ["facilities@example.com"],
    expiresInSeconds: 7 * 24 * 3600,
    maxUses: 1,
    sendEmail: true,
  },
);
console.log(`Invitation ${invitation.id} (${invitation.status}), expires ${invitation.expiresAt}`);
console.log(`Link for the user: ${invitation.invitationUrl}`);
