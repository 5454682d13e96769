# The key comes from NECTAR_API_KEY; prints the invitation link (add --json for all of it).
npx nectar-connection invite 8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13 \
  --email facilities@example.com --expires 7d --max-uses 1 --send-email \
  --base-url "${NECTAR_BASE_URL:-https://external.nectarclimate.com/v2.2}"
