/**
 * Cloudflare Workers for `test/runtimes.test.ts`: a module bundled the way Wrangler bundles a
 * Worker (esbuild, ESM, platform neutral, the `workerd`/`worker`/`browser` export conditions),
 * run in workerd through Miniflare's Node API. Nothing here is Node-specific in the bundle: a
 * `node:` import in the package's entry would fail the build.
 */
import { build } from "esbuild";
import { Miniflare } from "miniflare";

/** The compatibility date given to workerd (no later than the pinned workerd's own date). */
export const COMPATIBILITY_DATE = "2026-04-01";

/**
 * Bundles a Worker for workerd whose `fetch` takes a JSON body, passes it to the function
 * `exportName` of `module` (relative to `cwd`; packages resolve from `cwd/node_modules`) and
 * answers with its result as JSON. With `withValidators`, the function gets the module
 * `nectar-climate-connection/validators` as its second argument (a bundle cannot load it alone).
 */
export async function bundleForWorkerd(
  cwd: string,
  module: string,
  exportName: string,
  withValidators = false,
): Promise<string> {
  const worker = [
    `import { ${exportName} as handle } from ${JSON.stringify(module)};`,
    withValidators
      ? 'import * as validators from "nectar-climate-connection/validators";'
      : "const validators = undefined;",
    "export default {",
    "  async fetch(request) {",
    "    return Response.json(await handle(await request.json(), validators));",
    "  },",
    "};",
  ].join("\n");
  const result = await build({
    absWorkingDir: cwd,
    stdin: { contents: worker, resolveDir: cwd, sourcefile: "worker.mjs", loader: "js" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    write: false,
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild wrote nothing for ${module}`);
  return output.text;
}

/** Starts `script` (an ES module Worker) in workerd, POSTs `body` as JSON, returns the reply. */
export async function postToWorker(script: string, body: unknown): Promise<unknown> {
  // The module given as is, as Wrangler hands its bundle over (Miniflare's own module discovery
  // refuses any `import()` whose specifier is not a literal, even one that never runs).
  const worker = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: script }],
    compatibilityDate: COMPATIBILITY_DATE,
  });
  try {
    const response = await worker.dispatchFetch("http://worker.test/", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`the Worker answered ${response.status}: ${text}`);
    return JSON.parse(text) as unknown;
  } finally {
    await worker.dispose();
  }
}
