curl --silent --show-error --fail-with-body \
  --header "X-API-KEY: $NECTAR_API_KEY" \
  "${NECTAR_BASE_URL:-https://external.nectarclimate.com/v2.2}/connection/8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13"
