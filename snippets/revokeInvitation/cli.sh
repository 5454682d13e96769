# The key comes from NECTAR_API_KEY.
npx nectar-connection revoke 5b0e8f3a-9c2d-4e71-8a6b-2f4d1c7e9a30 \
  --base-url "${NECTAR_BASE_URL:-https://external.nectarclimate.com/v2.2}"
