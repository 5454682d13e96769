/**
 * Code samples from `snippets/<operationId>/`, added to the bundled spec as each operation's
 * `x-codeSamples` by `npm run generate` (Redoc shows them beside the operation). The files are
 * the samples verbatim, and `test/snippets.test.ts` runs every one against the mock server, so a
 * sample in the reference is a sample that works.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** One entry of `x-codeSamples`, as Redoc reads it. */
export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

/** The snippet files of an operation, in the order the reference shows them. */
export const SNIPPET_FILES = [
  { file: "example.ts", lang: "TypeScript", label: "TypeScript" },
  { file: "curl.sh", lang: "Shell", label: "curl" },
  { file: "cli.sh", lang: "Shell", label: "CLI" },
] as const;

/**
 * Operations whose CLI sample waits for its command (none now: `list` and `doctor` came with
 * theirs): until then their reference shows TypeScript and curl only.
 * `test/snippets.test.ts` fails as soon as such a folder gains its `cli.sh`, so the entry goes
 * when the command comes.
 */
export const CLI_SAMPLE_PENDING: ReadonlySet<string> = new Set<string>();

/** The snippet files operation `id` must have, in the order the reference shows them. */
export function snippetFilesOf(id: string): (typeof SNIPPET_FILES)[number][] {
  return SNIPPET_FILES.filter(({ file }) => file !== "cli.sh" || !CLI_SAMPLE_PENDING.has(id));
}

/**
 * Folders of `snippets/` that hold runnable recipes, not an operation's samples: skipped here,
 * run by their own tests (`webhooks/`: receivers for Nectar's webhooks, `test/webhooks/recipes.test.ts`).
 */
export const RECIPE_FOLDERS: ReadonlySet<string> = new Set(["webhooks"]);

/** The HTTP methods an OpenAPI path item may hold. */
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** A JSON object (of the spec), as far as this module reads it. */
type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every operation object of a spec, by operationId (operations without one are left out). */
export function operationsOf(document: unknown): Map<string, JsonObject> {
  const operations = new Map<string, JsonObject>();
  const paths = isObject(document) && isObject(document.paths) ? document.paths : {};
  for (const item of Object.values(paths)) {
    for (const method of METHODS) {
      const operation = isObject(item) ? item[method] : undefined;
      if (isObject(operation) && typeof operation.operationId === "string") {
        operations.set(operation.operationId, operation);
      }
    }
  }
  return operations;
}

/** Reads `dir/<operationId>/{example.ts,curl.sh,cli.sh}`: whichever exist, per operation. */
export function readCodeSamples(dir: string): Map<string, CodeSample[]> {
  const samples = new Map<string, CodeSample[]>();
  if (!existsSync(dir)) return samples;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || RECIPE_FOLDERS.has(entry.name)) continue;
    const found = SNIPPET_FILES.filter(({ file }) => existsSync(path.join(dir, entry.name, file)));
    samples.set(
      entry.name,
      found.map(({ file, lang, label }) => ({
        lang,
        label,
        source: readFileSync(path.join(dir, entry.name, file), "utf8").trimEnd(),
      })),
    );
  }
  return samples;
}

/**
 * Returns a copy of `document` whose operations carry their samples as `x-codeSamples`. Throws
 * when a snippet folder names no operation of the spec (a renamed or removed operation).
 */
export function withCodeSamples<T extends object>(
  document: T,
  samples: ReadonlyMap<string, CodeSample[]>,
): T {
  const copy = structuredClone(document);
  const operations = operationsOf(copy);
  const orphans = [...samples.keys()].filter((id) => !operations.has(id));
  if (orphans.length > 0) {
    throw new Error(`snippets/ has folders for no operation of the spec: ${orphans.join(", ")}`);
  }
  for (const [id, operation] of operations) {
    const list = samples.get(id);
    if (list !== undefined && list.length > 0) operation["x-codeSamples"] = list;
  }
  return copy;
}
