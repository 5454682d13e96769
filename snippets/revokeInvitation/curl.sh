curl --silent --show-error --fail-with-body \
  --request POST \
  --header "X-API-KEY: $NECTAR_API_KEY" \
  "${NECTAR_BASE_URL:-https://external.nectarclimate.com/v2.2}/invitation/5b0e8f3a-9c2d-4e71-8a6b-2f4d1c7e9a30/revoke"
