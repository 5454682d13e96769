import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as constants from "../src/core/constants.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};
const spec = JSON.parse(
  readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"),
) as {
  servers: Array<{ url: string }>;
};

describe("constants", () => {
  it("sends the package's own version in the User-Agent", () => {
    expect(constants.VERSION).toBe(pkg.version);
  });

  it("defaults to the spec's server", () => {
    expect(constants.DEFAULT_BASE_URL).toBe(spec.servers[0]?.url);
  });

  it("keep Nectar's documented concurrency ceiling and the issue's retry policy", () => {
    expect(constants.DEFAULT_MAX_CONCURRENCY).toBe(10);
    expect(constants.DEFAULT_MAX_RETRIES).toBe(2);
    expect(constants.DEFAULT_TIMEOUT_MS).toBe(30_000);
    expect([constants.INITIAL_RETRY_DELAY_MS, constants.MAX_RETRY_DELAY_MS]).toEqual([500, 8_000]);
    expect(constants.MAX_RETRY_AFTER_MS).toBe(60_000);
    expect(constants.RETRY_JITTER).toBe(0.25);
  });
});
