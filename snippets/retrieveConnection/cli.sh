# The key comes from NECTAR_API_KEY; add --json for the whole connection.
npx nectar-connection get 8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13 \
  --base-url "${NECTAR_BASE_URL:-https://external.nectarclimate.com/v2.2}"
