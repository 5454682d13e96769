/**
 * Web Crypto only: the webhook modules import nothing from `node:` and no library, so a Worker,
 * an edge function, Deno or Bun bundle them unchanged. Checked on the source (every module
 * `verifyWebhook` pulls in, as esbuild resolves them for the neutral platform) and measured:
 * what an app that only verifies webhooks ships. Running them on each runtime is
 * `test/runtimes.test.ts`'s job.
 */
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, test } from "vitest";
import { root } from "../helpers/package.ts";

/** Bundles `entry` (importing from src/index.ts) for the neutral platform: no Node built-ins. */
async function bundle(entry: string) {
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    minify: true,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const text = result.outputFiles[0]?.text ?? "";
  // The modules that put code in the bundle (a module read but tree-shaken away puts none).
  const [output] = Object.values(result.metafile.outputs);
  const inputs = Object.entries(output?.inputs ?? {})
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([input]) => input);
  const imports = (output?.imports ?? []).map((imported) => imported.path);
  return { text, inputs, imports, gzip: gzipSync(text, { level: 9 }).length };
}

describe("the webhook functions bundle for any runtime", () => {
  test("verifyWebhook and the rest need no node: module and no library", async () => {
    const { text, inputs, imports } = await bundle(
      'import { verifyWebhook, verifyWebhookRequest, signWebhook, createWebhookDeduper, parseEventDateTime } from "./src/index.ts";\nconsole.log(verifyWebhook, verifyWebhookRequest, signWebhook, createWebhookDeduper, parseEventDateTime);',
    );
    expect(
      inputs.filter((input) => input.startsWith("node:") || input.includes("node_modules")),
    ).toEqual([]);
    expect(imports.filter((path) => path.startsWith("node:"))).toEqual([]);
    expect(text).not.toMatch(/from\s*"node:|require\(/);
    // The validators are loaded on first use by an import bundlers do not follow (or passed).
    expect(inputs.some((input) => input.includes("generated/validators"))).toBe(false);
    expect(text).toContain("globalThis.crypto");
  });

  test("an app that only verifies webhooks ships under 8 KB gzipped, the client left out", async () => {
    const { inputs, gzip } = await bundle(
      'import { verifyWebhook } from "./src/index.ts";\nconsole.log(verifyWebhook);',
    );
    expect(inputs.some((input) => input.includes("src/client.ts"))).toBe(false);
    expect(inputs.some((input) => input.includes("openapi-fetch"))).toBe(false);
    expect(gzip).toBeLessThan(8 * 1024);
  });
});
