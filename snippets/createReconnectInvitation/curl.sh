curl --silent --show-error --fail-with-body \
  --request POST \
  --header "X-API-KEY: $NECTAR_API_KEY" \
  --header "Content-Type: application/json" \
  --data '{"allowedEmails": ["facilities@example.com"], "expiresInSeconds": 604800, "maxUses": 1, "sendEmail": true}' \
  "${NECTAR_BASE_URL:-https://external.nectarclimate.com/v2.2}/invitation/connection/8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13"
