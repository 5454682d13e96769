/** The presentation copy of the spec that the HTML reference renders (`scripts/docs-spec.ts`). */
import { describe, expect, it } from "vitest";
import spec from "../generated/openapi.json" with { type: "json" };
import { DOCS_TITLE, docsSpec, TYPESCRIPT_REFERENCE, UNTAGGED } from "../scripts/docs-spec.ts";

describe("docsSpec", () => {
  const before = JSON.stringify(spec);
  const shown = docsSpec(structuredClone(spec));

  it("leaves the spec it was given alone", () => {
    expect(JSON.stringify(spec)).toBe(before);
  });

  it("untags every operation, so Redoc renders each in place", () => {
    expect(shown.tags).toBeUndefined();
    const paths = shown.paths as Record<string, Record<string, { tags?: unknown }>>;
    const operations = Object.values(paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThan(0);
    for (const operation of operations) expect(operation.tags).toBeUndefined();
  });

  it("keeps each tag's name and description in the introduction, and links the TypeScript reference", () => {
    const info = shown.info as { title: string; description: string; version: string };
    expect(info.title).toBe(DOCS_TITLE);
    expect(info.version).toBe(spec.info.version);
    expect(info.description.startsWith(spec.info.description)).toBe(true);
    for (const tag of spec.tags) {
      expect(info.description).toContain(`**${tag.name}.** ${tag.description}`);
    }
    expect(info.description).toContain(`[TypeScript API reference](${TYPESCRIPT_REFERENCE})`);
  });

  it('files the webhooks with the untagged operations (Redoc\'s tag ""), so they render in place', () => {
    const webhooks = shown.webhooks as Record<string, { post: { tags?: unknown } }>;
    expect(Object.keys(webhooks)).toEqual(Object.keys(spec.webhooks));
    for (const { post } of Object.values(webhooks)) expect(post.tags).toEqual([UNTAGGED]);
    expect(UNTAGGED).toBe("");
  });

  it("drops the generated-file banner, keeps everything else", () => {
    expect(shown["x-generated"]).toBeUndefined();
    expect(shown.components).toEqual(spec.components);
    expect(shown.servers).toEqual(spec.servers);
  });
});
