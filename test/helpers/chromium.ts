/**
 * What the browser tests share: Debian's Chromium launched headless with its background traffic
 * off (the network is closed), and a set-up whose failure fails every test of the file (vitest
 * would report the tests of a failed `beforeAll` as skipped, and nothing here is ever skipped).
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { beforeAll, beforeEach } from "vitest";

/** Debian's Chromium, installed by `npm run setup` when missing. */
export const CHROMIUM = "/usr/bin/chromium";

/** Keeps Chromium's own background traffic off the (closed) network. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** Launches Chromium headless, or fails with what to run when it is not installed. */
export async function launchChromium(what: string): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}; the ${what} tests need it and are never skipped. ` +
        "Run `npm run setup` (as root it installs Debian's chromium; otherwise it says what to run).",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Runs `setUp` before the file's tests; should it fail, every test fails with its error. */
export function setUpOrFailEveryTest(setUp: () => Promise<void>, timeoutMs?: number): void {
  let setupError: unknown;
  beforeAll(async () => {
    try {
      await setUp();
    } catch (error) {
      setupError = error;
    }
  }, timeoutMs);
  beforeEach(() => {
    if (setupError !== undefined) throw setupError;
  });
}
