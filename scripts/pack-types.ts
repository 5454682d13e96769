/**
 * Assembles the types-only package `nectar-climate-connection-types` in `dist/types-package/`
 * from `generated/`: `schema.d.ts` (copied), an `index.d.ts` that re-exports every type of it,
 * `openapi.json`, `package.json`, `README.md` and `LICENSE`. No JavaScript. Its version is read
 * from `packages/types/package.json` (the manifest Changesets bumps): its major.minor must be the
 * spec's `info.version` ("2.2" → 2.2.x), its patch counts our releases of the same API version.
 * Called at the end of `npm run build`; `tsx scripts/pack-types.ts` runs it alone. Publish with
 * `npm publish dist/types-package`.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { projectRoot } from "./paths.ts";

/** The package's name on npm. */
export const TYPES_PACKAGE_NAME = "nectar-climate-connection-types";

/** Where the package is assembled. */
export const typesPackageDir = path.join(projectRoot, "dist", "types-package");

/** The files of the package besides `package.json`, `README.md` and `LICENSE`. */
export const TYPES_PACKAGE_FILES = ["index.d.ts", "schema.d.ts", "openapi.json"] as const;

/** The names `index.d.ts` must re-export; more (every named alias) are found in `schema.d.ts`. */
const REQUIRED_EXPORTS = [
  "paths",
  "components",
  "operations",
  "Connection",
  "ConnectionStatus",
  "Invitation",
  "InvitationStatus",
  "CreateReconnectInvitationRequest",
];

/** A spec version as semver: `2.2` → `2.2.0`, `3` → `3.0.0`; a full semver is kept. */
export function specVersionToSemver(version: string): string {
  const match = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?$/.exec(version.trim());
  if (match === null) {
    throw new Error(`info.version ${JSON.stringify(version)} cannot be read as a semver version`);
  }
  const [, major, minor = "0", patch = "0", pre = ""] = match;
  return `${Number(major)}.${Number(minor)}.${Number(patch)}${pre}`;
}

/** The manifest that holds the types package's version (bumped by Changesets). */
export const typesManifestPath = path.join(projectRoot, "packages", "types", "package.json");

/**
 * The types package's version: `packages/types/package.json`'s, checked against the spec's API
 * version, whose major.minor it must carry (spec `2.2` → `2.2.x`).
 */
export function typesPackageVersion(apiVersion: string, manifestVersion: string): string {
  const [major, minor] = specVersionToSemver(apiVersion).split(".");
  const own = /^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/.exec(manifestVersion);
  if (own === null || own[1] !== major || own[2] !== minor) {
    throw new Error(
      `packages/types/package.json has version ${JSON.stringify(manifestVersion)}, but the spec's API version is ${apiVersion}: the types package's major.minor must be ${major}.${minor}. Add a changeset that bumps nectar-climate-connection-types to ${major}.${minor}.0 (or set it by hand) and run \`npm run release:version\`.`,
    );
  }
  return manifestVersion;
}

/** The names `schema.d.ts` exports (`export type X`, `export interface X`), in file order. */
export function schemaExports(schemaSource: string): string[] {
  const names = [
    ...schemaSource.matchAll(/^export (?:declare )?(?:type|interface) ([A-Za-z_$][\w$]*)/gm),
  ].map((match) => match[1] as string);
  return [...new Set(names)];
}

interface SpecInfo {
  title?: string;
  version?: string;
}

/** Builds `dist/types-package/` afresh and returns its directory. */
export function packTypes(): string {
  const generated = path.join(projectRoot, "generated");
  const specText = readFileSync(path.join(generated, "openapi.json"), "utf8");
  const info = (JSON.parse(specText) as { info?: SpecInfo }).info ?? {};
  if (typeof info.version !== "string")
    throw new Error("generated/openapi.json has no info.version");
  const apiVersion = info.version;
  const manifest = JSON.parse(readFileSync(typesManifestPath, "utf8")) as { version?: unknown };
  const version = typesPackageVersion(apiVersion, String(manifest.version));

  const schemaSource = readFileSync(path.join(generated, "schema.d.ts"), "utf8");
  const names = schemaExports(schemaSource);
  const missing = REQUIRED_EXPORTS.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    throw new Error(`generated/schema.d.ts does not export ${missing.join(", ")}`);
  }
  const mainPackage = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as {
    name: string;
    repository?: unknown;
  };

  rmSync(typesPackageDir, { recursive: true, force: true });
  mkdirSync(typesPackageDir, { recursive: true });
  const write = (name: string, text: string): void => {
    writeFileSync(path.join(typesPackageDir, name), text);
  };

  const packageJson = {
    name: TYPES_PACKAGE_NAME,
    version,
    description: `TypeScript types for Nectar Climate's utility-connection API (v${apiVersion}), generated from its OpenAPI 3.1 spec: paths, components, operations and a named type per schema. Types only, no JavaScript.`,
    license: "MIT",
    type: "module",
    sideEffects: false,
    types: "./index.d.ts",
    exports: {
      ".": { types: "./index.d.ts" },
      "./openapi.json": "./openapi.json",
      "./package.json": "./package.json",
    },
    files: [...TYPES_PACKAGE_FILES],
    keywords: ["nectar", "nectar climate", "openapi", "types", "typescript"],
    ...(mainPackage.repository === undefined ? {} : { repository: mainPackage.repository }),
  };
  write("package.json", `${JSON.stringify(packageJson, null, 2)}\n`);

  copyFileSync(path.join(generated, "schema.d.ts"), path.join(typesPackageDir, "schema.d.ts"));
  copyFileSync(path.join(generated, "openapi.json"), path.join(typesPackageDir, "openapi.json"));
  copyFileSync(path.join(projectRoot, "LICENSE"), path.join(typesPackageDir, "LICENSE"));

  write(
    "index.d.ts",
    [
      "/**",
      ` * Types for Nectar Climate's utility-connection API (v${apiVersion}), generated by`,
      " * openapi-typescript from the OpenAPI spec in `openapi.json`. Built by",
      ` * ${mainPackage.name}'s scripts/pack-types.ts; do not edit.`,
      " * @packageDocumentation",
      " */",
      `export type {\n${names.map((name) => `  ${name},`).join("\n")}\n} from "./schema.js";`,
      "",
    ].join("\n"),
  );

  write(
    "README.md",
    `# ${TYPES_PACKAGE_NAME}

TypeScript types for Nectar Climate's utility-connection API (v${apiVersion}), generated by
openapi-typescript from a hand-written OpenAPI 3.1 spec. Types only: the package contains no
JavaScript and has no dependencies. Its major.minor is the API's (\`${apiVersion}\`); the patch
counts releases of the types for that API version (this is \`${version}\`).

\`\`\`sh
npm install --save-dev ${TYPES_PACKAGE_NAME}
\`\`\`

\`\`\`ts
import type { Connection, ConnectionStatus, paths } from "${TYPES_PACKAGE_NAME}";
\`\`\`

It exports \`paths\`, \`components\` and \`operations\` (use them with openapi-fetch or any
openapi-typescript client) and a named type per schema: ${names
      .filter((name) => /^[A-Z]/.test(name))
      .map((name) => `\`${name}\``)
      .join(", ")}.
The bundled spec is \`${TYPES_PACKAGE_NAME}/openapi.json\`.

For a ready client (retries, timeouts, typed errors, a mock server) use
[\`${mainPackage.name}\`](https://www.npmjs.com/package/${mainPackage.name}), which ships the same
types as \`${mainPackage.name}/types\`.

License: MIT.
`,
  );
  return typesPackageDir;
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  const dir = packTypes();
  console.log(`pack-types: wrote ${path.relative(process.cwd(), dir) || "."}`);
}
