/**
 * The copy of the bundled spec that the HTML reference renders (`scripts/docs.ts`): the spec
 * itself is left alone, only its presentation changes. Pure, so `test/docs.test.ts` can check it.
 */

/** The reference's heading (Redoc adds the version): short enough for one line at 390 px. */
export const DOCS_TITLE = "Nectar connections API";

/** Where the TypeScript reference lands, relative to the HTML reference's `index.html`. */
export const TYPESCRIPT_REFERENCE = "api/index.html";

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The tag Redoc 3 gives an operation that has none: its group renders in place. */
export const UNTAGGED = "";

/** `{ name, description }` of each top-level tag. */
function tagsOf(spec: JsonObject): { name: string; description: string }[] {
  const tags = Array.isArray(spec.tags) ? spec.tags.filter(isObject) : [];
  return tags.map((tag) => ({
    name: String(tag.name ?? ""),
    description: typeof tag.description === "string" ? tag.description : "",
  }));
}

/**
 * Returns the spec as the reference shows it:
 * - a short title (the spec's own `info.title` is a sentence);
 * - no tags: Redoc 3 lists a tag's operations collapsed behind "+ Show" and renders them only
 *   when the URL points at that tag, so one tag at most could be open on load; untagged, every
 *   operation renders in place, and so do the webhooks, filed with the untagged operations
 *   (see below). The tags' names and descriptions move into the introduction;
 * - a link to the TypeScript reference rendered beside it.
 */
export function docsSpec(spec: JsonObject): JsonObject {
  const copy = structuredClone(spec);
  delete copy["x-generated"];
  const info = isObject(copy.info) ? copy.info : {};
  const intro = typeof info.description === "string" ? [info.description] : [];
  for (const { name, description } of tagsOf(copy)) intro.push(`**${name}.** ${description}`);
  intro.push(
    `**TypeScript.** This package's client, types and mock server are described in the ` +
      `[TypeScript API reference](${TYPESCRIPT_REFERENCE}).`,
  );
  copy.info = { ...info, title: DOCS_TITLE, description: intro.join("\n\n") };
  delete copy.tags;
  for (const item of Object.values(isObject(copy.paths) ? copy.paths : {})) {
    for (const operation of Object.values(isObject(item) ? item : {})) {
      if (isObject(operation)) delete operation.tags;
    }
  }
  // Redoc 3 files an untagged webhook under a "webhooks" group, collapsed; the untagged
  // operations sit under the tag "", rendered in place. Filed there, the webhooks render in place
  // too, after a "Webhooks" separator of the menu.
  for (const item of Object.values(isObject(copy.webhooks) ? copy.webhooks : {})) {
    for (const operation of Object.values(isObject(item) ? item : {})) {
      if (isObject(operation)) operation.tags = [UNTAGGED];
    }
  }
  return copy;
}
