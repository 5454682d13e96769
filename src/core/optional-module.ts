/**
 * The optional peer modules (undici for `proxy`, `@opentelemetry/api` for `tracing`), imported
 * only when an option asks for them: by a name held in a variable, so that bundlers leave the
 * import to run time, and unwrapped from a bundle's interop object (`{ default: module }`).
 */
import { NectarInvalidInputError } from "./errors.js";

/** Loads a module: its namespace, or a bundle's interop object. */
export type ModuleLoader = () => Promise<unknown>;

/** The run-time import of the module `name`, which bundlers leave alone. */
export const importAtRunTime =
  (name: string): ModuleLoader =>
  () =>
    import(/* @vite-ignore */ /* webpackIgnore: true */ name);

/**
 * The module `load` gives: itself when `isModule` recognises it, else its `default`.
 * @throws {NectarInvalidInputError} with `howTo` (what to install) when it cannot be loaded.
 */
export async function loadOptional<T>(
  load: ModuleLoader,
  isModule: (loaded: T) => boolean,
  howTo: string,
): Promise<T> {
  try {
    const loaded = (await load()) as T & { default?: T };
    return isModule(loaded) ? loaded : (loaded.default as T);
  } catch {
    throw new NectarInvalidInputError(howTo);
  }
}
