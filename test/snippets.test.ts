/**
 * The code samples of the API reference (`snippets/<operationId>/`, copied into each operation's
 * `x-codeSamples` by `npm run generate`): every operation has all three, and every sample works
 * against the mock server as a reader would run it (TypeScript type-checked and executed, curl
 * and the CLI executed). A sample broken the way code rots (a renamed method, a wrong path, a
 * renamed command) fails the runner.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import spec from "../generated/openapi.json" with { type: "json" };
import {
  CLI_SAMPLE_PENDING,
  operationsOf,
  RECIPE_FOLDERS,
  SNIPPET_FILES,
  snippetFilesOf,
} from "../scripts/code-samples.ts";
import { MOCK_BASE_PATH, type MockServer, startMockServer } from "../src/mock/index.js";
import { ensureBuilt, root } from "./helpers/package.js";
import { createSnippetProject, runSnippets, type SnippetProject } from "./helpers/snippets.js";

const SNIPPETS = path.join(root, "snippets");
const operations = operationsOf(spec);
const folders = readdirSync(SNIPPETS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !RECIPE_FOLDERS.has(entry.name))
  .map((entry) => entry.name);

/** Each operation's method and path, as a pattern matching a request to it on the mock. */
const requestPattern = new Map<string, { method: string; path: RegExp }>();
for (const [route, item] of Object.entries(spec.paths)) {
  for (const [method, operation] of Object.entries(item)) {
    const id = (operation as { operationId?: string }).operationId;
    const pattern = route.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/?]+");
    if (id)
      requestPattern.set(id, {
        method: method.toUpperCase(),
        path: new RegExp(`^${MOCK_BASE_PATH.replaceAll(".", "\\.")}${pattern}(\\?|$)`),
      });
  }
}

let project: SnippetProject;
let mock: MockServer;
let env: Record<string, string>;

beforeAll(async () => {
  await ensureBuilt();
  [project, mock] = await Promise.all([createSnippetProject(), startMockServer()]);
  env = { NECTAR_BASE_URL: mock.url, NECTAR_API_KEY: mock.apiKey };
});
afterAll(async () => {
  await mock?.close();
  if (project) await rm(project.dir, { recursive: true, force: true });
});

describe("every operation carries its code samples", () => {
  it.each([...operations.keys()])(
    "%s has TypeScript, curl and CLI samples from snippets/ (CLI: unless its command is pending)",
    (id) => {
      const samples = operations.get(id)?.["x-codeSamples"];
      expect(samples, `snippets/${id}/ is missing`).toBeDefined();
      expect(samples).toEqual(
        snippetFilesOf(id).map(({ file, lang, label }) => ({
          lang,
          label,
          source: readFileSync(path.join(SNIPPETS, id, file), "utf8").trimEnd(),
        })),
      );
    },
  );

  it("has no snippet folder for an operation the spec lacks", () => {
    expect(folders.filter((name) => !operations.has(name))).toEqual([]);
  });

  it.each([...CLI_SAMPLE_PENDING])(
    "%s's CLI sample is pending only while it has no cli.sh (then the entry goes)",
    (id) => {
      expect(operations.has(id)).toBe(true);
      expect(existsSync(path.join(SNIPPETS, id, "cli.sh"))).toBe(false);
      expect(snippetFilesOf(id).map(({ label }) => label)).toEqual(["TypeScript", "curl"]);
    },
  );

  it("every other operation has all three", () => {
    for (const id of operations.keys()) {
      if (!CLI_SAMPLE_PENDING.has(id)) expect(snippetFilesOf(id)).toEqual([...SNIPPET_FILES]);
    }
  });
});

describe.each(folders)("snippets/%s against the mock server", (id) => {
  it.each(snippetFilesOf(id).map(({ file }) => file))(
    "%s runs (TypeScript: type-checks) and calls the operation",
    async (file) => {
      mock.reset();
      const copy = await project.add(path.join(SNIPPETS, id, file), id);
      const [result] = await runSnippets(project, [copy], env);
      expect(result?.problems).toEqual([]);
      expect(result?.stdout.trim()).not.toBe("");
      expect(result?.stdout).not.toContain("<string>"); // a realistic example, not the placeholder
      const expected = requestPattern.get(id);
      const calls = mock.stats.log.filter(
        (entry) => entry.method === expected?.method && expected.path.test(entry.path),
      );
      expect(calls.length, JSON.stringify(mock.stats.log)).toBeGreaterThan(0);
      expect(calls.every((call) => call.headers["x-api-key"] === "[redacted]")).toBe(true);
    },
  );
});

describe("a sample that rots fails the runner", () => {
  /** Copies a sample, breaks it with `edit`, runs it, and returns what the runner reports. */
  async function broken(file: string, edit: (source: string) => string) {
    const source = await readFile(path.join(SNIPPETS, "retrieveConnection", file), "utf8");
    const brokenSource = edit(source);
    expect(brokenSource).not.toBe(source);
    const copy = await project.add(path.join(SNIPPETS, "retrieveConnection", file), "broken");
    await writeFile(copy, brokenSource);
    const [result] = await runSnippets(project, [copy], env);
    return result?.problems ?? [];
  }

  it("a renamed method: tsc reports it and the run fails", async () => {
    const problems = await broken("example.ts", (s) => s.replace(".retrieve(", ".retrieveOne("));
    expect(problems.some((p) => /error TS\d+: Property 'retrieveOne' does not exist/.test(p))).toBe(
      true,
    );
    expect(problems.some((p) => p.startsWith("exited 1:") && p.includes("retrieveOne"))).toBe(true);
  });

  it("a type error alone (the code would run) fails", async () => {
    const problems = await broken("example.ts", (s) =>
      s.replace(
        "const health = connectionHealth(connection);",
        "const health = connectionHealth(connection);\nconst n: number = connection.id;\nvoid n;",
      ),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/error TS2322: Type 'string' is not assignable to type 'number'/);
  });

  it("a wrong path in the curl sample fails (HTTP 404)", async () => {
    const problems = await broken("curl.sh", (s) => s.replace("/connection/", "/connections/"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^exited 22: .*404/s);
  });

  it("a renamed CLI command fails with a usage error", async () => {
    const problems = await broken("cli.sh", (s) => s.replace(" get ", " show "));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^exited 2:/);
  });
});
