/**
 * Single-file bundle sizes: what an application ships when its bundler does not split code (or
 * the app is bundled into one file on purpose). Same esbuild options as `size.ts` but without
 * splitting, so a dynamic `import()` is inlined: the validators must not be in the bundle of a
 * user who never turns them on (the client's own import of them is one no bundler follows). Also: what each byte of the facade's entry is (esbuild's metafile: bytes
 * each input module contributes to the output).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { transform } from "esbuild";
import { projectRoot } from "./common.ts";
import { BUNDLE_OPTIONS, type Bytes, bundleEntry, type Chunk, COMPARISON_ENTRIES } from "./size.ts";

/** A user who never turns validation on: create a client, fetch a connection. */
export const VALIDATION_OFF_ENTRY =
  'import { createNectarClient } from "nectar-climate-connection";\nconst client = createNectarClient({ apiKey: "key" });\nconsole.log(client.connections.retrieve("id"));\n';

/** The same user with response validation on, passing the validators as a bundled app must. */
export const VALIDATION_ON_ENTRY =
  'import { createNectarClient } from "nectar-climate-connection";\nimport * as validators from "nectar-climate-connection/validators";\nconst client = createNectarClient({ apiKey: "key", validateResponses: "strict", validators });\nconsole.log(client.connections.retrieve("id"));\n';

/** The single-file bundles, by the name the report gives them (a function: `size.ts` imports this file). */
export function singleFileEntries(): Record<string, string> {
  return {
    "nectar-climate-connection, validation never on": VALIDATION_OFF_ENTRY,
    "nectar-climate-connection, validateResponses: strict": VALIDATION_ON_ENTRY,
    ...COMPARISON_ENTRIES,
  };
}

/** One input module's share of a bundle. */
export interface ModuleBytes {
  /** The input, relative to the project root (`dist/…`, `node_modules/…`, `generated/…`). */
  module: string;
  /** Bytes it contributes to the minified output. */
  bytes: number;
  /** `bytes` ÷ the output's size. */
  share: number;
  /** Gzip estimate: `share` × the output's gzip size (gzip cannot be split exactly by module). */
  gzipEstimate: number;
  /**
   * The module minified and gzipped on its own (esbuild transform, gzip level 9): no dictionary
   * shared with the rest of the bundle, so these add up to more than the bundle's gzip.
   */
  gzipAlone: number;
}

/** The size part's single-file half. */
export interface SingleFileResult {
  bundles: Record<string, Bytes>;
  /** What each byte of the facade entry is: single file (validation never on), largest first. */
  facadeModules: ModuleBytes[];
  /** The same for the code-split entry chunk (what `size.ts` measures). */
  splitEntryModules: ModuleBytes[];
}

/** `module` (a file under the project root) minified on its own, gzipped at level 9. */
async function gzipAlone(module: string): Promise<number> {
  const file = path.join(projectRoot, module);
  if (!existsSync(file)) return 0;
  const { code } = await transform(readFileSync(file, "utf8"), {
    loader: module.endsWith(".ts") ? "ts" : "js",
    minify: true,
    format: "esm",
  });
  return gzipSync(code, { level: BUNDLE_OPTIONS.gzipLevel }).byteLength;
}

/** The modules of `chunk`, largest first, with their share of its raw and (estimated) gzip size. */
export async function moduleBreakdown(chunk: Chunk): Promise<ModuleBytes[]> {
  const total = Object.values(chunk.modules).reduce((sum, bytes) => sum + bytes, 0);
  const modules = Object.entries(chunk.modules).filter(([, bytes]) => bytes > 0);
  const rows: ModuleBytes[] = [];
  for (const [module, bytes] of modules) {
    rows.push({
      module,
      bytes,
      share: Math.round((bytes / total) * 1000) / 1000,
      gzipEstimate: Math.round((bytes / total) * chunk.gzip),
      gzipAlone: await gzipAlone(module),
    });
  }
  return rows.sort((a, b) => b.bytes - a.bytes);
}

/** The one chunk of a single-file bundle (fails if esbuild made more). */
function onlyChunk(chunks: readonly Chunk[]): Chunk {
  const [chunk, ...rest] = chunks;
  if (!chunk || rest.length > 0) throw new Error(`expected one file, got ${chunks.length}`);
  return chunk;
}

/** Bundles every single-file entry; breaks the facade's down by module. */
export async function runSingleFile(splitEntry: Chunk): Promise<SingleFileResult> {
  const bundles: Record<string, Bytes> = {};
  let facadeModules: ModuleBytes[] = [];
  for (const [name, source] of Object.entries(singleFileEntries())) {
    const chunk = onlyChunk((await bundleEntry(source, false, false)).chunks);
    bundles[name] = { raw: chunk.raw, gzip: chunk.gzip };
    if (source === VALIDATION_OFF_ENTRY) facadeModules = await moduleBreakdown(chunk);
  }
  return { bundles, facadeModules, splitEntryModules: await moduleBreakdown(splitEntry) };
}
