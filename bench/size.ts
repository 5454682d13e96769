/**
 * Bundle size: what an application ships when it imports a client. Each entry is bundled by
 * esbuild as an application would be: bundle, minify, ESM, platform `browser`, code splitting
 * (so a dynamic `import()` becomes its own chunk), then each chunk is gzipped at level 9.
 *
 * `nectar-climate-connection` resolves to this checkout through the package's own `exports`
 * (esbuild, like Node, lets a package import itself by name), i.e. to the built `dist/`, as an
 * installed copy would. The facade's own import of its validators is one bundlers do not follow
 * (a user who validates passes `nectar-climate-connection/validators`), so no chunk holds them.
 */
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import { projectRoot } from "./common.ts";
import { runSingleFile, type SingleFileResult } from "./size-single.ts";

/** The facade entry: the smallest program that keeps the client. */
export const FACADE_ENTRY =
  'import { createNectarClient } from "nectar-climate-connection";\nconsole.log(createNectarClient);\n';

/** The facade entry with a type-only import of `/types` in front: must add nothing. */
export const FACADE_ENTRY_WITH_TYPE_IMPORT = `import type { Connection, paths } from "nectar-climate-connection/types";\n${FACADE_ENTRY}`;

/**
 * The facade entry with what `import { type Connection } from "…/types"` leaves behind under
 * `verbatimModuleSyntax`: an import of nothing, which the package's `sideEffects: false` drops.
 */
export const FACADE_ENTRY_WITH_EMPTY_IMPORT = `import {} from "nectar-climate-connection/types";\n${FACADE_ENTRY}`;

/** The other clients, bundled by the same harness. */
export const COMPARISON_ENTRIES: Readonly<Record<string, string>> = {
  "openapi-fetch": 'import createClient from "openapi-fetch";\nconsole.log(createClient);\n',
  ky: 'import ky from "ky";\nconsole.log(ky);\n',
  axios: 'import axios from "axios";\nconsole.log(axios);\n',
};

/** Bytes of one output, raw (minified) and gzipped at level 9. */
export interface Bytes {
  raw: number;
  gzip: number;
}

/** One chunk of a bundle. */
export interface Chunk extends Bytes {
  /** The output file name, e.g. `entry.js` or `validators-HASH.js`. */
  file: string;
  /** Whether this is the entry chunk (the one an application loads up front). */
  entry: boolean;
  /** The inputs bundled into it, relative to the project root. */
  inputs: string[];
  /** Bytes each input contributes to this chunk (minified, before gzip; esbuild's metafile). */
  modules: Record<string, number>;
}

/** A bundled entry. */
export interface BundleSize {
  /** The entry chunk alone. */
  entry: Bytes;
  /** Every chunk, entry first. */
  chunks: Chunk[];
  /** All chunks together (each gzipped on its own, then summed). */
  total: Bytes;
  /** The chunk holding `generated/validators.js`, when there is one. */
  validators: Bytes | undefined;
  /** The concatenated outputs (entry first), to compare two builds byte for byte. */
  contents: string;
}

/** The esbuild options every entry is bundled with (reported in the results). */
export const BUNDLE_OPTIONS = {
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  splitting: true,
  gzipLevel: 9,
} as const;

/** The name of the entry module and of its output chunk. */
const ENTRY_NAME = "entry";
const ENTRY_SOURCE = `${ENTRY_NAME}.ts`;

/**
 * Bundles `source` (TypeScript, as an application module in the project root) and sizes it;
 * `splitting: false` makes one file (a dynamic `import()` is then inlined into it).
 * `keepNames` turns off identifier mangling: esbuild picks short names by how often each symbol
 * occurs, so two inputs that produce the same code may still differ in their names.
 */
export async function bundleEntry(
  source: string,
  keepNames = false,
  splitting: boolean = BUNDLE_OPTIONS.splitting,
): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: source, loader: "ts", resolveDir: projectRoot, sourcefile: ENTRY_SOURCE },
    // As this project compiles: a type-only import is erased, an import of nothing is kept.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    bundle: BUNDLE_OPTIONS.bundle,
    minifyWhitespace: BUNDLE_OPTIONS.minify,
    minifySyntax: BUNDLE_OPTIONS.minify,
    minifyIdentifiers: BUNDLE_OPTIONS.minify && !keepNames,
    format: BUNDLE_OPTIONS.format,
    platform: BUNDLE_OPTIONS.platform,
    splitting,
    entryNames: ENTRY_NAME,
    outdir: "/bench-out",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const outputs: Metafile["outputs"] = result.metafile.outputs;
  const built = result.outputFiles
    .filter((file) => file.path.endsWith(".js"))
    .map((file) => {
      const name = file.path.slice(file.path.lastIndexOf("/") + 1);
      const meta = Object.entries(outputs).find(([key]) => key.endsWith(`/${name}`))?.[1];
      const chunk: Chunk = {
        file: name,
        entry: meta?.entryPoint === ENTRY_SOURCE,
        inputs: Object.keys(meta?.inputs ?? {}),
        modules: Object.fromEntries(
          Object.entries(meta?.inputs ?? {}).map(([input, { bytesInOutput }]) => [
            input,
            bytesInOutput,
          ]),
        ),
        raw: file.contents.byteLength,
        gzip: gzipSync(file.contents, { level: BUNDLE_OPTIONS.gzipLevel }).byteLength,
      };
      return { chunk, text: file.text };
    })
    .sort(
      (a, b) =>
        Number(b.chunk.entry) - Number(a.chunk.entry) || a.chunk.file.localeCompare(b.chunk.file),
    );
  const chunks = built.map(({ chunk }) => chunk);
  const entries = chunks.filter((chunk) => chunk.entry);
  const entry = entries[0];
  if (!entry || entries.length !== 1) {
    throw new Error(`expected one entry chunk, got ${chunks.map((c) => c.file).join(", ")}`);
  }
  const validators = chunks.find((chunk) => chunk.inputs.includes("generated/validators.js"));
  return {
    entry: { raw: entry.raw, gzip: entry.gzip },
    chunks,
    total: {
      raw: chunks.reduce((sum, chunk) => sum + chunk.raw, 0),
      gzip: chunks.reduce((sum, chunk) => sum + chunk.gzip, 0),
    },
    validators: validators && { raw: validators.raw, gzip: validators.gzip },
    contents: built.map(({ chunk, text }) => `/* ${chunk.file} */\n${text}`).join("\n"),
  };
}

/**
 * Bundles the facade entry. Fails unless it resolved to this checkout's `dist/index.js` (so a
 * stale or missing build is never measured by accident: run `npm run build` first).
 */
export async function buildFacadeEntry(): Promise<BundleSize> {
  const size = await bundleEntry(FACADE_ENTRY);
  if (!size.chunks.some((chunk) => chunk.entry && chunk.inputs.includes("dist/index.js"))) {
    throw new Error("the facade entry did not bundle dist/index.js: run `npm run build` first");
  }
  return size;
}

/** What an import from `nectar-climate-connection/types` adds to the facade entry. */
export interface TypesImportCost {
  /** The extra import line, as written. */
  statement: string;
  /** Added bytes (all chunks, raw and gzip); 0 and 0 when nothing is added. */
  added: Bytes;
  /** Whether every output is byte-identical to the facade entry's. */
  identical: boolean;
}

/**
 * Bundles the facade entry with and without each kind of `/types` import and compares, with
 * identifiers unmangled so that "the same code" means the same bytes.
 */
export async function measureTypesImport(): Promise<TypesImportCost[]> {
  const base = await bundleEntry(FACADE_ENTRY, true);
  const costs: TypesImportCost[] = [];
  for (const source of [FACADE_ENTRY_WITH_TYPE_IMPORT, FACADE_ENTRY_WITH_EMPTY_IMPORT]) {
    const size = await bundleEntry(source, true);
    costs.push({
      statement: source.slice(0, source.indexOf("\n")),
      added: { raw: size.total.raw - base.total.raw, gzip: size.total.gzip - base.total.gzip },
      identical: size.contents === base.contents,
    });
  }
  return costs;
}

/** The size part of the bench. */
export interface SizeResult {
  options: typeof BUNDLE_OPTIONS;
  facade: Omit<BundleSize, "contents">;
  typesImport: TypesImportCost[];
  comparisons: Record<string, Omit<BundleSize, "contents">>;
  /** Without code splitting: one file per entry, and what each byte of the facade's is. */
  singleFile: SingleFileResult;
}

/** Drops the concatenated contents (kept only for comparisons) from a size. */
function withoutContents({
  contents: _contents,
  ...size
}: BundleSize): Omit<BundleSize, "contents"> {
  return size;
}

/** Runs the size part: the facade, the `/types` check and the other clients. */
export async function runSize(): Promise<SizeResult> {
  const facade = await buildFacadeEntry();
  const typesImport = await measureTypesImport();
  const comparisons: Record<string, Omit<BundleSize, "contents">> = {};
  for (const [name, source] of Object.entries(COMPARISON_ENTRIES)) {
    comparisons[name] = withoutContents(await bundleEntry(source));
  }
  const entryChunk = facade.chunks.find((chunk) => chunk.entry);
  if (!entryChunk) throw new Error("the facade bundle has no entry chunk");
  const singleFile = await runSingleFile(entryChunk);
  return {
    options: BUNDLE_OPTIONS,
    facade: withoutContents(facade),
    typesImport,
    comparisons,
    singleFile,
  };
}
