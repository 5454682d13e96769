/**
 * The webhook recipes of `snippets/webhooks/` are complete receivers that work: each is copied
 * into a throwaway project (the package and the frameworks installed as a reader has them),
 * type-checked, started as its own process on 127.0.0.1 (the Next.js route handler behind a
 * node:http adapter), and sent, over a real socket, deliveries signed by `standardwebhooks`:
 * the three connection events, a re-delivery, an unknown event, a tampered body and a stale one.
 * Each must process every event once and refuse the bad ones with their reasons. The README
 * shows the Express and Next.js recipes verbatim.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TEST_WEBHOOK_SECRET, webhookPayloads } from "../helpers/fixtures.ts";
import { bin, cleanEnv, ensureBuilt, root } from "../helpers/package.ts";
import { createSnippetProject, type SnippetProject, typeErrors } from "../helpers/snippets.ts";
import { signedDelivery, standardSign } from "../helpers/webhooks.ts";

const RECIPES = path.join(root, "snippets", "webhooks");
const SERVE_ROUTE = path.join(root, "test", "helpers", "serve-route.ts");
const recipes = readdirSync(RECIPES)
  .filter((file) => file.endsWith(".ts"))
  .sort();

let project: SnippetProject;
const copies = new Map<string, string>();
const running: ChildProcess[] = [];

beforeAll(async () => {
  await ensureBuilt();
  project = await createSnippetProject();
  for (const recipe of recipes) {
    copies.set(recipe, await project.add(path.join(RECIPES, recipe), "webhooks"));
  }
}, 120_000);

afterAll(async () => {
  for (const child of running) child.kill("SIGTERM");
  if (project) await rm(project.dir, { recursive: true, force: true });
});

/** A started receiver: its URL and everything it printed so far. */
interface Receiver {
  url: string;
  output: () => string;
}

/** Starts a recipe (a route handler behind the adapter) and waits for its `listening on` line. */
function start(recipe: string): Promise<Receiver> {
  const file = copies.get(recipe) ?? "";
  const args = recipe === "next-route.ts" ? [bin.tsx, SERVE_ROUTE, file] : [bin.tsx, file];
  const child = spawn(process.execPath, args, {
    cwd: project.dir,
    env: {
      ...cleanEnv(),
      PORT: "0",
      HOST: "127.0.0.1",
      NECTAR_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    },
  });
  running.push(child);
  let stdout = "";
  let stderr = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+\/webhooks\/nectar)/.exec(stdout)?.[1];
      if (url) resolve({ url, output: () => stdout });
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("exit", (code) => reject(new Error(`${recipe} exited ${code}: ${stderr}`)));
  });
}

/** POSTs a body with headers; returns the status and the text of the answer. */
async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body,
  });
  return [response.status, await response.text()] as const;
}

test("the recipes are the five receivers, and they type-check (strict, NodeNext)", async () => {
  expect(recipes).toEqual(["express.ts", "fastify.ts", "hono.ts", "next-route.ts", "node-http.ts"]);
  const errors = await typeErrors(project, [...copies.values()]);
  expect([...errors.values()].flat()).toEqual([]);
}, 120_000);

describe.each(recipes)("snippets/webhooks/%s, over a real socket", (recipe) => {
  test("processes each signed event once and refuses tampered and stale ones", async () => {
    const { url, output } = await start(recipe);
    const now = Math.floor(Date.now() / 1000);
    const sign = (payload: unknown, id: string) => signedDelivery(payload, { id, timestamp: now });
    const created = sign(webhookPayloads.created(), "msg_recipe_1");
    const updated = sign(webhookPayloads.updated(), "msg_recipe_2");
    const validated = sign(webhookPayloads.validated(), "msg_recipe_3");
    const documentEvent = sign({ eventType: "document.created.v2", id: "doc-1" }, "msg_recipe_4");

    expect(await post(url, created.body, created.headers)).toEqual([204, ""]);
    expect(await post(url, updated.body, updated.headers)).toEqual([204, ""]);
    expect(await post(url, validated.body, validated.headers)).toEqual([204, ""]);
    expect(await post(url, created.body, created.headers)).toEqual([204, ""]); // re-delivery
    expect(await post(url, documentEvent.body, documentEvent.headers)).toEqual([204, ""]);
    const tampered = created.body.replace("PENDING", "CONNECTED");
    expect(await post(url, tampered, created.headers)).toEqual([400, "no_matching_signature"]);
    const stale = standardSign(created.body, { id: "msg_recipe_5", timestamp: now - 3600 });
    expect(await post(url, created.body, stale)).toEqual([400, "timestamp_too_old"]);
    expect(await post(url, created.body, {})).toEqual([400, "missing_header"]);

    const id = webhookPayloads.created().id;
    expect(output().trim().split("\n").slice(1)).toEqual([
      `connection.created.v2: connection ${id} is PENDING`,
      `connection.updated.v2: connection ${id} is CONNECTED`,
      `connection.validated.v2: connection ${id} is PASSWORD_INCORRECT`,
      "ignored document.created.v2",
    ]);
  }, 60_000);
});

describe("the README", () => {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");

  test.each(["express.ts", "next-route.ts"])("shows snippets/webhooks/%s verbatim", (recipe) => {
    const source = readFileSync(path.join(RECIPES, recipe), "utf8");
    expect(readme).toContain(`\`\`\`ts\n${source}\`\`\``);
  });
});
