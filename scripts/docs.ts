/**
 * `npm run docs`: renders both references, self-contained and offline, into `dist/docs/`:
 *
 * - `dist/docs/index.html`: the HTTP API reference, the bundled spec rendered by Redoc (inlined)
 *   with each operation's code samples; see `scripts/docs-spec.ts` for what the page changes.
 * - `dist/docs/api/index.html`: the TypeScript API reference, rendered by TypeDoc from the TSDoc
 *   of the package's public entry points (read from `package.json` `exports`), linked from the
 *   HTTP reference and linking back to it.
 *
 * Open either file in a browser; no server is needed. `--out DIR` writes elsewhere.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { SNIPPET_FILES } from "./code-samples.ts";
import { docsSpec } from "./docs-spec.ts";
import { projectRoot, redoclyEnv } from "./paths.ts";

const { values: flags } = parseArgs({ options: { out: { type: "string" } } });
const out = path.resolve(flags.out ?? path.join(projectRoot, "dist", "docs"));

/**
 * Redoc 3's options (its list is short: Redoc 2's `expandResponses`, `expandSingleSchemaField`,
 * `hideSingleRequestSampleTab` and the like are gone and ignored). Nested schemas open two
 * levels deep (a connection's datasource, company and accounts); response samples are fully
 * expanded; the sample tabs are exactly the spec's `x-codeSamples` (TypeScript first), not
 * Redoc's generated curl/JavaScript/Python/... ones.
 */
const REDOC_OPTIONS = {
  schemasExpansionLevel: 2,
  jsonSamplesExpandLevel: "all",
  hideDownloadButtons: true,
  codeSamples: {
    languages: SNIPPET_FILES.map(({ label }) => ({ lang: label, label })),
  },
};

/**
 * Runs a tool's node script. Throws with the tool's output when it fails; when it succeeds, its
 * output is shown only if `show` (TypeDoc's warnings, not Redocly's Node 20 banner).
 */
function runNode(
  name: string,
  script: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; show?: boolean } = {},
): void {
  const run = spawnSync(process.execPath, [script, ...args], {
    cwd: projectRoot,
    env: options.env ?? process.env,
    encoding: "utf8",
  });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`.trim();
  if (run.status !== 0) throw new Error(`${name} failed:\n${output}`);
  if (options.show && output !== "") console.warn(output);
}

/** The HTTP reference: Redoc (inlined) over the presentation copy of the bundled spec. */
function renderHttpReference(): string {
  const output = path.join(out, "index.html");
  const scratch = mkdtempSync(path.join(tmpdir(), "nectar-docs-"));
  try {
    const bundled = JSON.parse(
      readFileSync(path.join(projectRoot, "generated", "openapi.json"), "utf8"),
    );
    const spec = path.join(scratch, "openapi.json");
    writeFileSync(spec, JSON.stringify(docsSpec(bundled)));
    const options = path.join(scratch, "redoc-options.json");
    writeFileSync(options, JSON.stringify(REDOC_OPTIONS));
    runNode(
      "redocly build-docs",
      path.join(projectRoot, "node_modules", "@redocly", "cli", "bin", "cli.js"),
      [
        "build-docs",
        spec,
        "--inlineBundle",
        "--output",
        output,
        "--template",
        path.join(projectRoot, "scripts", "docs-template.hbs"),
        "--title",
        "Nectar connections API reference",
        "--openapi",
        options,
      ],
      { env: redoclyEnv() },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // Redoc's sidebar credit loads Redocly's logo from a CDN; the page must not reach the network.
  // An empty data: URL fails to load, and Redoc then drops the image (the credit is hidden by
  // the template's CSS).
  const html = readFileSync(output, "utf8").replace(
    /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g,
    "data:,",
  );
  writeFileSync(output, html);
  return output;
}

/** The package's public entry points: import specifier → source file, from `exports` `types`. */
function entryPoints(): Map<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8"));
  const entries = new Map<string, string>();
  for (const [subpath, target] of Object.entries<unknown>(manifest.exports ?? {})) {
    const types = typeof target === "object" && target !== null ? Reflect.get(target, "types") : 0;
    if (typeof types !== "string" || !types.startsWith("./dist/")) continue;
    const source = types.replace(/^\.\/dist\//, "src/").replace(/\.d\.ts$/, ".ts");
    entries.set(path.posix.join(manifest.name, subpath), source);
  }
  return entries;
}

/**
 * The name TypeDoc gives an entry's module: its path under `src/` without the extension, and
 * without a trailing `/index` (`src/mock/index.ts` → `mock`; `src/index.ts` stays `index`).
 */
function moduleName(source: string): string {
  const name = path.posix.relative("src", source.split(path.sep).join("/")).replace(/\.ts$/, "");
  return name === "index" ? name : name.replace(/\/index$/, "");
}

/** The front page of the TypeScript reference: which module (as the menu names it) is which import. */
function frontPage(entries: ReadonlyMap<string, string>): string {
  const rows = [...entries].map(([specifier, source]) => {
    const name = moduleName(source);
    return `| \`${name}\` | \`import … from "${specifier}"\` |`;
  });
  return [
    "The client, its types and the mock server, as this package exports them. The HTTP API itself",
    "is described in the HTTP API reference (the link at the top of every page).",
    "",
    "| module | import it as |",
    "| --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

/** The TypeScript reference: TypeDoc (options in `typedoc.json`) into `api/`. */
function renderTypeScriptReference(): string {
  const dir = path.join(out, "api");
  rmSync(dir, { recursive: true, force: true });
  const entries = entryPoints();
  const scratch = mkdtempSync(path.join(tmpdir(), "nectar-typedoc-"));
  try {
    const readme = path.join(scratch, "README.md");
    writeFileSync(readme, frontPage(entries));
    const typedoc = path.join(projectRoot, "node_modules", "typedoc", "bin", "typedoc");
    runNode(
      "typedoc",
      typedoc,
      [
        ...["--options", "typedoc.json", "--readme", readme, "--out", dir, "--logLevel", "Warn"],
        ...[...entries.values()].flatMap((entry) => ["--entryPoints", entry]),
      ],
      { show: true },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return path.join(dir, "index.html");
}

try {
  mkdirSync(out, { recursive: true });
  for (const file of [renderHttpReference(), renderTypeScriptReference()]) {
    console.log(`docs: wrote ${path.relative(process.cwd(), file)}`);
  }
} catch (error) {
  console.error(`docs: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
