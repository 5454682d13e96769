/**
 * The pipeline: `scripts/check-generated.ts --root DIR` notices when `DIR/generated` no longer
 * matches `DIR/openapi`, and `scripts/generate.ts` is deterministic. Both run for real (Redocly,
 * openapi-typescript, Ajv, esbuild) on a throwaway copy of the spec and its generated files.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const tsx = path.join(projectRoot, "node_modules", "tsx", "dist", "cli.mjs");

/** Each test spawns the generator (Redocly and friends): seconds, not milliseconds. */
const SLOW = 120_000;

const copies: string[] = [];

afterEach(() => {
  for (const copy of copies.splice(0)) rmSync(copy, { recursive: true, force: true });
});

/** A temporary checkout holding copies of openapi/, generated/, snippets/ and redocly.yaml. */
function copyOfTheSpec(): string {
  const copy = mkdtempSync(path.join(tmpdir(), "nectar-check-generated-test-"));
  copies.push(copy);
  for (const entry of ["openapi", "generated", "snippets", "redocly.yaml"]) {
    cpSync(path.join(projectRoot, entry), path.join(copy, entry), { recursive: true });
  }
  return copy;
}

/** Runs one of the project's scripts with `--root copy`; returns its exit code and output. */
function run(script: string, copy: string): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [tsx, path.join(projectRoot, "scripts", script), "--root", copy],
    { cwd: projectRoot, encoding: "utf8" },
  );
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Replaces one exact piece of text in a file of the copy, failing if it is not there once. */
function edit(copy: string, file: string, from: string, to: string): void {
  const target = path.join(copy, file);
  const text = readFileSync(target, "utf8");
  expect(text.split(from), `"${from}" occurs once in ${file}`).toHaveLength(2);
  writeFileSync(target, text.replace(from, to));
}

/** Every file of the copy's generated/, by name. */
function generatedFiles(copy: string): Map<string, Buffer> {
  const dir = path.join(copy, "generated");
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(path.join(dir, name))]));
}

describe("check-generated", () => {
  test(
    "passes on an untouched copy",
    () => {
      const result = run("check-generated.ts", copyOfTheSpec());
      expect(result.output).toContain("generated/ is up to date");
      expect(result.status).toBe(0);
    },
    SLOW,
  );

  test(
    "fails after a description changes without regenerating, naming the stale files",
    () => {
      const copy = copyOfTheSpec();
      edit(
        copy,
        "openapi/components/schemas/Connection.yaml",
        "description: Flag to indicate if data should be multiplied by occupancy.",
        "description: Whether data is multiplied by the site's occupancy.",
      );
      const result = run("check-generated.ts", copy);
      expect(result.status).not.toBe(0);
      expect(result.output).toContain("does not match the spec");
      expect(result.output).toContain("openapi.json: stale");
      expect(result.output).toContain("schema.d.ts: stale");
    },
    SLOW,
  );

  test(
    "fails after an enum value is added without regenerating, naming the stale validators too",
    () => {
      const copy = copyOfTheSpec();
      addStatus(copy, "AWAITING_INVITATION");
      const result = run("check-generated.ts", copy);
      expect(result.status).not.toBe(0);
      expect(result.output).toContain("does not match the spec");
      expect(result.output).toContain("openapi.json: stale");
      expect(result.output).toContain("schema.d.ts: stale");
      expect(result.output).toContain("validators.js: stale");
    },
    SLOW,
  );

  test(
    "passes again once the edited copy is regenerated",
    () => {
      const copy = copyOfTheSpec();
      addStatus(copy, "AWAITING_INVITATION");
      expect(run("generate.ts", copy).status).toBe(0);
      expect(readFileSync(path.join(copy, "generated", "schema.d.ts"), "utf8")).toContain(
        '"AWAITING_INVITATION"',
      );
      const result = run("check-generated.ts", copy);
      expect(result.output).toContain("generated/ is up to date");
      expect(result.status).toBe(0);
    },
    SLOW,
  );

  test(
    "names a generated file that the spec does not produce",
    () => {
      const copy = copyOfTheSpec();
      writeFileSync(path.join(copy, "generated", "leftover.js"), "export {};\n");
      const result = run("check-generated.ts", copy);
      expect(result.status).not.toBe(0);
      expect(result.output).toContain("leftover.js: not produced by the spec");
    },
    SLOW,
  );
});

describe("generate", () => {
  test(
    "run twice changes no byte, and reproduces the committed generated/",
    () => {
      const copy = copyOfTheSpec();
      const committed = generatedFiles(copy);
      expect(run("generate.ts", copy).status).toBe(0);
      const first = generatedFiles(copy);
      expect(run("generate.ts", copy).status).toBe(0);
      const second = generatedFiles(copy);
      expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
      for (const [name, bytes] of first) {
        expect(second.get(name)?.equals(bytes), `${name} is the same after a second run`).toBe(
          true,
        );
        expect(committed.get(name)?.equals(bytes), `${name} matches the committed one`).toBe(true);
      }
    },
    SLOW,
  );
});

/** Adds a value to the copy's ConnectionStatus enum, as a spec change that changes every output. */
function addStatus(copy: string, status: string): void {
  edit(
    copy,
    "openapi/components/schemas/ConnectionStatus.yaml",
    // The documented values are the open enum's first branch.
    "      - URL_INACCESSIBLE\n",
    `      - URL_INACCESSIBLE\n      - ${status}\n`,
  );
}
