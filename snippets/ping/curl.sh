# 200 when the key is accepted (the body's shape is not documented), 401 when it is not.
curl --silent --show-error --fail-with-body \
  --header "X-API-KEY: $NECTAR_API_KEY" \
  "${NECTAR_BASE_URL:-https://external.nectarclimate.com/v2.2}/ping"
