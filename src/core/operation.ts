/**
 * The operations the client sends, from the table `npm run generate` writes
 * (`generated/operations.js`): a resource takes its entry with {@link operation} and gets the
 * type of the 2xx body from the entry's schema, so no method, path or schema is restated by hand.
 */
import type { components } from "../../generated/schema.js";
import type { Operation } from "./client-core.js";
import type { SchemaName } from "./validation.js";

/** What the client reads of an entry of the generated table. */
export interface OperationEntry {
  readonly operationId: string;
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly schema?: SchemaName;
  readonly idempotent: boolean;
}

/** The type of an entry's 2xx body: its schema's type, or `unknown` when no schema is relied on. */
export type BodyOf<Entry> = Entry extends { readonly schema: infer Name extends SchemaName }
  ? components["schemas"][Name]
  : unknown;

/**
 * An entry of the generated table as the {@link Operation} the client core sends, typed by its
 * schema.
 * @example
 * const RETRIEVE = operation(operations.retrieveConnection); // Operation<Connection>
 */
export function operation<const Entry extends OperationEntry>(
  entry: Entry,
): Operation<BodyOf<Entry>> {
  return entry;
}
