/**
 * The command line: options every command shares, the options a command declares, and a parser
 * that reports every problem in one line without quoting a value (it may be a secret).
 */
import { parseArgs } from "node:util";
import { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS } from "../core/constants.js";
import { parseDuration } from "./duration.js";
import { usageError } from "./io.js";
import { shown } from "./text.js";

/** How one option is written: a flag, or an option with a value (repeatable when `multiple`). */
export interface OptionSpec {
  readonly type: "boolean" | "string";
  readonly short?: string;
  readonly multiple?: boolean;
}

/** The options of the bare program and of `help`. */
export const GLOBAL_OPTIONS = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const satisfies Record<string, OptionSpec>;

/** The options of every command that calls the API. */
export const REQUEST_OPTIONS = {
  ...GLOBAL_OPTIONS,
  "api-key": { type: "string" },
  "base-url": { type: "string" },
  mock: { type: "boolean" },
  timeout: { type: "string" },
} as const satisfies Record<string, OptionSpec>;

/** The help lines of {@link REQUEST_OPTIONS}, with `extra` lines for the command's own. */
export const requestOptionsHelp = (extra = ""): string => `Options:
  --api-key <key>    Nectar API key (default: the NECTAR_API_KEY environment variable)
  --base-url <url>   API base URL (default: the NECTAR_BASE_URL environment variable,
                     else ${DEFAULT_BASE_URL})
  --mock             Use an embedded mock server serving realistic example data
                     (no key, no network needed)
  --timeout <time>   How long each attempt may take, e.g. 10s (default: ${DEFAULT_TIMEOUT_MS / 1_000}s;
                     a bare number is milliseconds)
${extra}  -h, --help         Show this help`;

/** The values of the options given: a flag is `true`, a repeatable option a list. */
export type OptionValues = Readonly<Record<string, string | boolean | readonly string[]>>;

/** The parsed command line. */
export interface Invocation {
  /** The first positional, a command or not. */
  readonly word: string | undefined;
  /** The command's name, when `word` names one. */
  readonly command: string | undefined;
  /** The positionals after the command. */
  readonly positionals: readonly string[];
  readonly values: OptionValues;
  /** A usage problem found while parsing, reported unless `--help` or `--version` wins. */
  readonly problem: string | undefined;
}

/**
 * Parses argv with `node:util`'s tokens (non-strict), then checks the tokens itself so that
 * every problem gets one clear line that never quotes a value. `commands` maps each command's
 * name to the options it accepts.
 */
export function parse(
  argv: readonly string[],
  commands: Readonly<Record<string, Readonly<Record<string, OptionSpec>>>>,
): Invocation {
  const all: Record<string, OptionSpec> = Object.assign(
    {},
    GLOBAL_OPTIONS,
    ...Object.values(commands),
  );
  const { positionals, values, problems } = readTokens(argv, all);
  const first = positionals[0];
  const command = first !== undefined && Object.hasOwn(commands, first) ? first : undefined;
  if (first !== undefined && command === undefined) {
    problems.unshift(`unknown command ${shown(first, "an unknown command")}`);
  } else {
    const allowed = command === undefined ? GLOBAL_OPTIONS : (commands[command] ?? {});
    problems.push(...misplacedOptions(values, allowed, command));
  }
  return { word: first, command, positionals: positionals.slice(1), values, problem: problems[0] };
}

/** The words and option values of `argv` against every option `all` knows, and what is wrong. */
function readTokens(argv: readonly string[], all: Readonly<Record<string, OptionSpec>>) {
  const { tokens } = parseArgs({
    args: [...argv],
    options: all,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals: string[] = [];
  const values: Record<string, string | boolean | string[]> = {};
  const problems: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    const spec = Object.hasOwn(all, token.name) ? all[token.name] : undefined;
    if (spec === undefined) {
      problems.push(`unknown option ${shown(token.rawName, "an unknown option")}`);
      continue;
    }
    if (spec.type === "boolean") {
      if (token.value !== undefined) problems.push(`option --${token.name} takes no value`);
      else values[token.name] = true;
      continue;
    }
    // A lone "-" is a value (standard input); any other "-…" is taken for a forgotten value.
    const dash = token.value !== "-" && token.value?.startsWith("-") === true;
    if (token.value === undefined || (!token.inlineValue && dash)) {
      problems.push(
        `option --${token.name} needs a value (write --${token.name}=<value> for one starting with "-")`,
      );
      continue;
    }
    const previous = values[token.name];
    if (spec.multiple)
      values[token.name] = [...(Array.isArray(previous) ? previous : []), token.value];
    else values[token.name] = token.value;
  }
  return { positionals, values, problems };
}

/** The options given that `command` (or, with none, the program itself) does not take. */
function misplacedOptions(
  values: OptionValues,
  allowed: Readonly<Record<string, OptionSpec>>,
  command: string | undefined,
): string[] {
  return Object.keys(values)
    .filter((name) => !Object.hasOwn(allowed, name))
    .map((name) =>
      command === undefined
        ? `option --${name} needs a command`
        : `the ${command} command takes no option --${name}`,
    );
}

/** A string option's value, or `undefined` when it was not given. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/** `--timeout`, the limit of each attempt, in milliseconds (a duration), or a usage error. */
export function timeoutOption(values: OptionValues): number | undefined {
  const value = stringOption(values, "timeout");
  return value === undefined ? undefined : parseDuration(value, "timeout");
}

/** The one positional a command takes, or a usage error naming what it needed. */
export function onePositional(invocation: Invocation, what: string): string {
  const [value, extra] = invocation.positionals;
  if (value === undefined) throw usageError(`${invocation.command} needs ${what}`);
  if (extra !== undefined)
    throw usageError(`${invocation.command} takes one ${what.replace(/^an? /, "")}, got more`);
  return value;
}
