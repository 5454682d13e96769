/**
 * The README's TypeScript examples cannot rot: each ```ts block is type-checked, as a module of
 * its own, against the built package in a throwaway project (the one the code samples use), with
 * the few names the prose leaves to the reader (`ids`, `id`, `connection`, `nectar`, …) declared.
 * A block that calls a renamed method fails here, as a broken code sample does in snippets.test.
 */
import { readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, root } from "./helpers/package.js";
import { createSnippetProject, type SnippetProject, typeErrors } from "./helpers/snippets.js";

/** The names README examples use without defining them: what the reader already has. */
const READER_HAS = `import type { Connection, NectarClient } from "nectar-climate-connection";
declare global {
  const ids: readonly string[];
  const id: string;
  const connection: Connection;
  const nectar: NectarClient;
  function emailUpdateLink(connectionId: string): Promise<void>;
}
export {};
`;

const blocks = [
  ...readFileSync(path.join(root, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g),
].map((match) => match[1] ?? "");

let project: SnippetProject;
let globals: string;

/** Writes `source` as a module of the project and returns its tsc complaints. */
async function complaintsOf(source: string, name: string): Promise<string[]> {
  const file = path.join(project.dir, name);
  await writeFile(file, `${source}\nexport {};\n`);
  const errors = await typeErrors(project, [file, globals]);
  return errors.get(file) ?? [];
}

beforeAll(async () => {
  await ensureBuilt();
  project = await createSnippetProject();
  globals = path.join(project.dir, "reader-has.ts");
  await writeFile(globals, READER_HAS);
});
afterAll(async () => {
  if (project) await rm(project.dir, { recursive: true, force: true });
});

describe("the README's TypeScript examples", () => {
  it("are there to check (the Use it, Invitations, Fleet and mock examples at least)", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  it.each(blocks.map((source, index) => [index + 1, source] as const))(
    "block %i type-checks against the built package",
    async (index, source) => {
      expect(await complaintsOf(source, `readme-${index}.ts`)).toEqual([]);
    },
  );

  it("a block with a renamed method fails the check", async () => {
    const source = blocks.find((block) => block.includes("connections.retrieve("));
    expect(source).toBeDefined();
    const broken = (source ?? "").replace("connections.retrieve(", "connections.fetchOne(");
    const complaints = await complaintsOf(broken, "readme-broken.ts");
    expect(complaints.join("\n")).toContain("fetchOne");
  });
});
