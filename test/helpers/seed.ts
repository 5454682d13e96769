/**
 * Reads Nectar's v2.2 reference page for `GET /connection/{connection_id}` (the seed, kept as
 * `test/fixtures/seed/get-connection-v2.2.txt`) into plain data, so the tests can hold the spec
 * against it. Nothing here is copied from the page by hand: every list is parsed from its text.
 *
 * The page's shape, top to bottom: the method and path, the title, a curl call, the example
 * response (JSON), "Authorizations", "Path Parameters", then "Response" with one block per
 * top-level field:
 *
 *     <name>                         e.g. statusLastUpdateTime
 *     <type line>                    e.g. string<date-time> | null, enum<string>[], object
 *     required                       (only for required fields)
 *
 *     <description paragraphs>
 *     Maximum array length: <n>      (optional)
 *       • <VALUE> - <Label>          (enums: one bullet per value)
 *     Available options:             (enums: the values again, comma separated)
 *
 * Two losses of the capture are repaired as the reading notes say (see the fixture's README):
 * `connectionMagicLinkSecret` lost its name and type lines (its description survived as a second
 * paragraph of the field before it), and `country` lost its type line.
 */
import { readFileSync } from "node:fs";

/** Where the seed page lives in this repository. */
export const SEED_PATH = new URL("../fixtures/seed/get-connection-v2.2.txt", import.meta.url);

/** What the capture shows in place of the example's email address (with a no-break space). */
export const OBFUSCATED_EMAIL = "[email\u00a0protected]";

/** A type line of the page, such as `string<date-time> | null` or `enum<string>[]`, taken apart. */
export interface SeedType {
  /** The line as the page writes it (or as restored from the reading notes). */
  readonly line: string;
  /** `string`, `boolean`, `object` or `enum`. */
  readonly base: string;
  /** The format of a string (`uuid`, `date-time`, `date`, `email`), when the line names one. */
  readonly format: string | undefined;
  /** For `enum<string>`: the type of the enum's values. */
  readonly enumOf: string | undefined;
  /** True for a list (`...[]`); the other properties then describe its items. */
  readonly array: boolean;
  /** True when the line ends in `| null`. */
  readonly nullable: boolean;
}

/** One top-level field of the response, as its block on the page describes it. */
export interface SeedField {
  readonly name: string;
  readonly type: SeedType;
  readonly required: boolean;
  /** The page marks a field deprecated by starting its description with "Deprecated —". */
  readonly deprecated: boolean;
  readonly description: string;
  /** The values under "Available options:", in the page's order (empty unless an enum). */
  readonly options: readonly string[];
  /** The values of the bullet list (`• VALUE - Label`), in the page's order. */
  readonly bullets: readonly string[];
  /** "Maximum array length: n", when the block states one. */
  readonly maxItems: number | undefined;
  /** Set when part of the block was restored from the reading notes, saying what and why. */
  readonly restored: string | undefined;
}

/** Everything the tests take from the page. */
export interface Seed {
  readonly title: string;
  readonly method: string;
  /** The path template, e.g. `/connection/{connection_id}`. */
  readonly path: string;
  /** The curl call's URL without the path: the server URL. */
  readonly serverUrl: string;
  readonly authorization: {
    readonly name: string;
    readonly type: string;
    readonly in: string;
    readonly required: boolean;
  };
  readonly pathParameter: {
    readonly name: string;
    readonly type: SeedType;
    readonly required: boolean;
    readonly description: string;
  };
  /** The sentence under "Response". */
  readonly responseDescription: string;
  /** The example response at the top of the page, parsed. */
  readonly example: Record<string, unknown>;
  /** Every top-level field, in the page's order (which is the example's order). */
  readonly fields: readonly SeedField[];
}

const FIELD_NAME = /^[a-z][A-Za-z0-9_]*$/;
const TYPE_LINE = /^(?<base>[a-z]+)(?:<(?<arg>[A-Za-z-]+)>)?(?<array>\[\])?(?<nullable> \| null)?$/;
const BULLET = /^\s+•\s+(?<value>\S+) - /;
const OPTION = /^(?<value>[A-Z0-9_]+),?$/;
const MAX_ITEMS = /^Maximum array length: (?<n>\d+)$/;
const DEPRECATED = "Deprecated —";

/** Fails the parse with a message that says what the page did not have. */
function fail(message: string): never {
  throw new Error(`seed page: ${message}`);
}

/** Takes a type line apart; `undefined` when the line is not one. */
export function parseTypeLine(line: string): SeedType | undefined {
  const groups = TYPE_LINE.exec(line)?.groups;
  if (!groups?.base) return undefined;
  const isEnum = groups.base === "enum";
  return {
    line,
    base: groups.base,
    format: isEnum ? undefined : groups.arg,
    enumOf: isEnum ? groups.arg : undefined,
    array: groups.array !== undefined,
    nullable: groups.nullable !== undefined,
  };
}

/** The index of the first line equal to `text` at or after `from`. */
function indexOf(lines: readonly string[], text: string, from = 0): number {
  const index = lines.indexOf(text, from);
  return index >= 0 ? index : fail(`no line "${text}"`);
}

/** The line at `index`, or a failure naming what was expected there. */
function lineAt(lines: readonly string[], index: number, what: string): string {
  return lines[index] ?? fail(`no ${what} at line ${index + 1}`);
}

/** A field block while it is being read. */
interface Block {
  name: string;
  type: SeedType | undefined;
  required: boolean;
  paragraphs: string[];
  options: string[];
  bullets: string[];
  maxItems: number | undefined;
}

/** Reads the field blocks that follow the response description. */
function readBlocks(lines: readonly string[], from: number): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  let inOptions = false;
  let paragraph: string[] = [];
  const endParagraph = (): void => {
    if (current && paragraph.length > 0) current.paragraphs.push(paragraph.join(" "));
    paragraph = [];
  };
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const next = lines[i + 1];
    const option = OPTION.exec(line)?.groups?.value;
    if (inOptions && option !== undefined && current) {
      current.options.push(option);
      continue;
    }
    inOptions = false;
    if (FIELD_NAME.test(line) && (next === "" || (next !== undefined && parseTypeLine(next)))) {
      endParagraph();
      current = {
        name: line,
        type: undefined,
        required: false,
        paragraphs: [],
        options: [],
        bullets: [],
        maxItems: undefined,
      };
      blocks.push(current);
      const type = next === undefined ? undefined : parseTypeLine(next);
      if (type) {
        current.type = type;
        i++;
        if (lines[i + 1] === "required") {
          current.required = true;
          i++;
        }
      }
      continue;
    }
    if (!current) {
      if (line.trim() === "") continue;
      fail(`text before the first field: "${line}"`);
    }
    const bullet = BULLET.exec(line)?.groups?.value;
    const maxItems = MAX_ITEMS.exec(line)?.groups?.n;
    if (line.trim() === "") {
      endParagraph();
    } else if (line === "Available options:") {
      endParagraph();
      inOptions = true;
    } else if (bullet !== undefined) {
      endParagraph();
      current.bullets.push(bullet);
    } else if (maxItems !== undefined) {
      endParagraph();
      current.maxItems = Number(maxItems);
    } else {
      paragraph.push(line.trim());
    }
  }
  endParagraph();
  return blocks;
}

/** The type line a JSON value of the example implies (for a block that lost its own). */
function typeOfExampleValue(value: unknown): SeedType {
  const base = value === null ? fail("a lost field is null in the example") : typeof value;
  return parseTypeLine(base) ?? fail(`no type line for a ${base}`);
}

/**
 * Repairs the capture's losses as the reading notes say, and turns blocks into fields:
 * - a field of the example with no block of its own lost its name and type lines; its description
 *   survived as the last paragraph of the block before it, its type is that of its example value,
 *   and it is required when the fields around it are (required fields are listed first);
 * - an enum block with no type line lost it: it is `enum<string>`.
 */
function repair(blocks: readonly Block[], example: Record<string, unknown>): SeedField[] {
  const byName = new Map(blocks.map((block) => [block.name, block]));
  const donors = new Set<string>();
  const fields: SeedField[] = [];
  const keys = Object.keys(example);
  for (const [index, name] of keys.entries()) {
    const block = byName.get(name);
    if (block) {
      const description = block.paragraphs[0] ?? fail(`${name} has no description`);
      let type = block.type;
      let restored: string | undefined;
      if (!type) {
        if (block.options.length === 0) fail(`${name} has no type line and is not an enum`);
        type = parseTypeLine("enum<string>");
        restored = "type line lost by the capture; an enum of strings (Available options)";
      }
      fields.push({
        name,
        type: type ?? fail(`${name}: no type`),
        required: block.required,
        deprecated: description.startsWith(DEPRECATED),
        description,
        options: block.options,
        bullets: block.bullets,
        maxItems: block.maxItems,
        restored,
      });
      continue;
    }
    const before = byName.get(keys[index - 1] ?? "");
    const after = byName.get(keys[index + 1] ?? "");
    if (!before || !after) fail(`${name} has no block and no neighbours with one`);
    const description =
      before.paragraphs.length === 2
        ? (before.paragraphs[1] ?? "")
        : fail(`${name}: no orphaned description after ${before.name}`);
    donors.add(before.name);
    fields.push({
      name,
      type: typeOfExampleValue(example[name]),
      required: before.required && after.required,
      deprecated: description.startsWith(DEPRECATED),
      description,
      options: [],
      bullets: [],
      maxItems: undefined,
      restored:
        "block lost by the capture; description orphaned after the field before it, " +
        "type from the example, required like the fields around it",
    });
  }
  for (const block of blocks) {
    if (!keys.includes(block.name)) fail(`field ${block.name} is not in the example`);
    if (block.paragraphs.length > 1 && !donors.has(block.name)) {
      fail(`${block.name} has more than one paragraph`);
    }
  }
  return fields;
}

/** Parses the text of the seed page. */
export function parseSeed(text: string): Seed {
  const lines = text.split("\n");

  const curl = lines.findIndex((line) => line.startsWith("curl --request"));
  if (curl < 0) fail("no curl call");
  const methodLine = indexOf(lines, "Skip to main content") + 1;
  const method = lineAt(lines, methodLine, "method");
  const title = lineAt(lines, curl - 1, "title");
  const pathTemplate = lines.slice(methodLine + 1, curl - 1).join("");
  const curlText = lines.slice(curl, curl + 3).join("\n");
  const url = /--url (\S+)/.exec(curlText)?.[1] ?? fail("no --url in the curl call");
  if (!url.endsWith(pathTemplate)) fail(`the curl URL ${url} does not end in ${pathTemplate}`);
  if (!curlText.includes(`--request ${method}`)) fail(`the curl call does not use ${method}`);

  const exampleStart = indexOf(lines, "{", curl);
  const exampleEnd = indexOf(lines, "}", exampleStart);
  const example = JSON.parse(lines.slice(exampleStart, exampleEnd + 1).join("\n")) as Record<
    string,
    unknown
  >;

  const auth = indexOf(lines, "Authorizations") + 2;
  const authorization = {
    name: lineAt(lines, auth, "header name"),
    type: lineAt(lines, auth + 1, "header type"),
    in: lineAt(lines, auth + 2, "header location"),
    required: lines[auth + 3] === "required",
  };

  const param = indexOf(lines, "Path Parameters") + 2;
  const paramRequired = lines[param + 2] === "required";
  const pathParameter = {
    name: lineAt(lines, param, "path parameter"),
    type: parseTypeLine(lineAt(lines, param + 1, "parameter type")) ?? fail("bad parameter type"),
    required: paramRequired,
    description: lineAt(lines, param + (paramRequired ? 4 : 3), "parameter description"),
  };

  const response = indexOf(lines, "Response");
  const responseDescription = lineAt(lines, response + 2, "response description");
  const fields = repair(readBlocks(lines, response + 3), example);

  return {
    title,
    method,
    path: pathTemplate,
    serverUrl: url.slice(0, url.length - pathTemplate.length),
    authorization,
    pathParameter,
    responseDescription,
    example,
    fields,
  };
}

/** The seed page, parsed. */
export const seed: Seed = parseSeed(readFileSync(SEED_PATH, "utf8"));

/** One field of the seed, by name. */
export function seedField(name: string): SeedField {
  return seed.fields.find((field) => field.name === name) ?? fail(`no field ${name}`);
}

/** The connection statuses, in the page's order. */
export const seedStatuses: readonly string[] = seedField("status").options;

/** The country codes, in the page's order. */
export const seedCountryCodes: readonly string[] = seedField("country").options;

/** The datasource types (items of `initialDatasourceTypes`), in the page's order. */
export const seedDatasourceTypes: readonly string[] = seedField("initialDatasourceTypes").options;

/** The names of the required fields, in the page's order. */
export const seedRequiredFields: readonly string[] = seed.fields
  .filter((field) => field.required)
  .map((field) => field.name);

/** The names of the fields that may be null, in the page's order. */
export const seedNullableFields: readonly string[] = seed.fields
  .filter((field) => field.type.nullable)
  .map((field) => field.name);

/** The names of the fields that may not be null, in the page's order. */
export const seedNonNullableFields: readonly string[] = seed.fields
  .filter((field) => !field.type.nullable)
  .map((field) => field.name);
