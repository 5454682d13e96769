# The key comes from NECTAR_API_KEY (never printed). Exit 0 when it is accepted, 3 when it is
# refused, 4 without an answer; also the clock skew, proxy settings and latency of one call.
npx nectar-connection doctor \
  --base-url "${NECTAR_BASE_URL:-https://external.nectarclimate.com/v2.2}"
