/**
 * The entries Node (and Deno, Bun) load, as single files: `dist/cli/index.js` (the package's
 * `bin`) and `dist/mock/index.js` (`./mock`, which the CLI loads only with `--mock`) are rebuilt
 * by esbuild over the files `tsc` wrote, and `dist/node/index.js` is the library entry, each with
 * everything it imports inlined, so that a process starts by reading one file instead of
 * resolving and compiling dozens (cold start: about 25 ms less on the import of the library).
 *
 * Each stays at the depth `tsc` gave it (`dist/<dir>/index.js`), so the paths its code resolves
 * from `import.meta.url` (`../../generated/openapi.json`, `../../generated/validators.js`) still
 * lead to the package's `generated/`. The CLI's `import("../mock/index.js")` is left as it is (an
 * external, lazy import of the mock's own file): a command without `--mock` never reads it.
 * `openapi-fetch` (the one runtime dependency) stays an import. The `.d.ts` files are `tsc`'s.
 */
import path from "node:path";
import { build, type Plugin } from "esbuild";
import { projectRoot } from "./paths.ts";

/**
 * The files bundled: from `src/`, to `dist/`. The library's entry for Node-like runtimes (the
 * `node` condition of `exports["."]`; bundlers for other platforms take the multi-file
 * `dist/index.js`) goes to `dist/node/index.js`: at the depth of `dist/core/`, so that its
 * import of `../../generated/validators.js` still resolves.
 */
const NODE_ENTRIES = [
  { from: "cli/index", to: "cli/index" },
  { from: "mock/index", to: "mock/index" },
  { from: "index", to: "node/index" },
] as const;

/**
 * Leaves the CLI's lazy imports of the mock (`--mock` in the session, the `mock` command) to run
 * time: the mock is its own file, `../mock/index.js` from the bundled `dist/cli/index.js`,
 * whichever file of `src/cli/` imports it. Inlined, the mock is parsed on every start.
 */
const mockStaysLazy: Plugin = {
  name: "mock-stays-lazy",
  setup(build) {
    const cli = path.join(projectRoot, "src", "cli") + path.sep;
    build.onResolve({ filter: /(^|\/)mock\/index\.js$/ }, (args) =>
      args.importer.startsWith(cli) && args.kind === "dynamic-import"
        ? { path: "../mock/index.js", external: true }
        : undefined,
    );
  },
};

/** Bundles each Node entry over its `tsc` output (code and source map). */
export async function bundleNodeEntries(): Promise<void> {
  for (const { from, to } of NODE_ENTRIES) {
    await build({
      absWorkingDir: projectRoot,
      entryPoints: [path.join(projectRoot, "src", `${from}.ts`)],
      outfile: path.join(projectRoot, "dist", `${to}.js`),
      allowOverwrite: true,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      plugins: [mockStaysLazy],
      sourcemap: true,
      sourcesContent: true,
      legalComments: "none",
      logLevel: "warning",
    });
  }
}
