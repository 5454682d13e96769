# Page 1 (1-indexed) of up to 500 connections; repeat sites for several. A page past the end
# returns the last page again: stop when "hasNext" is false.
curl --silent --show-error --fail-with-body --get \
  --header "X-API-KEY: $NECTAR_API_KEY" \
  --data-urlencode "status=PASSWORD_INCORRECT" \
  --data-urlencode "limit=500" \
  --data-urlencode "page=1" \
  "${NECTAR_BASE_URL:-https://external.nectarclimate.com/v2.2}/connection/company/6b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
