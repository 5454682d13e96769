# The key comes from NECTAR_API_KEY. Every page is read (500 a page); repeat --status for
# several; --json or --csv for scripts; check --company checks them, with --fail-on for cron.
npx nectar-connection list 6b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f --status PASSWORD_INCORRECT \
  --base-url "${NECTAR_BASE_URL:-https://external.nectarclimate.com/v2.2}"
