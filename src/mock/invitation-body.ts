/**
 * The mock's check of a `POST /invitation/connection/{id}` body, against the spec's
 * `CreateReconnectInvitationRequest`. A bad body gets the message a Django REST Framework
 * serializer would give (Nectar runs on Django; its 400 bodies are not documented), as one
 * `detail` string that names the field. Keys the spec does not name are ignored, as such a
 * serializer does by default (how Nectar treats them is not documented).
 */
import type { CreateReconnectInvitationRequest } from "../../generated/schema.js";
import { isEmailAddress } from "../resources/invitation-input.js";
import { isRecord } from "./spec-facts.js";

/** The checked body, or the `detail` of the 400 it deserves. */
export type BodyCheck =
  | { readonly request: CreateReconnectInvitationRequest }
  | { readonly detail: string };

/** DRF's name for a JSON value's type in "Expected a list of items but got type …". */
function typeName(value: unknown): string {
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  if (isRecord(value)) return "dict";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return "str";
}

/** An integer field with a minimum, or DRF's message for it. */
function integerProblem(value: unknown, min: number): string | undefined {
  if (value === null) return "This field may not be null.";
  if (typeof value !== "number" || !Number.isInteger(value)) return "A valid integer is required.";
  return value < min ? `Ensure this value is greater than or equal to ${min}.` : undefined;
}

/** A list of emails, or DRF's message for it. */
function emailsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return `Expected a list of items but got type "${typeName(value)}".`;
  for (const item of value) {
    if (item === "") return "This field may not be blank.";
    if (!isEmailAddress(item)) return "Enter a valid email address.";
  }
  return undefined;
}

/** The first problem of the fields, as `field: message`. */
function fieldProblem(body: Record<string, unknown>): string | undefined {
  const checks: [keyof CreateReconnectInvitationRequest, (value: unknown) => string | undefined][] =
    [
      ["allowedEmails", emailsProblem],
      ["expiresInSeconds", (value) => integerProblem(value, 60)],
      ["maxUses", (value) => integerProblem(value, 1)],
      [
        "sendEmail",
        (value) => (typeof value === "boolean" ? undefined : "Must be a valid boolean."),
      ],
    ];
  for (const [name, check] of checks) {
    const problem = name in body ? check(body[name]) : undefined;
    if (problem !== undefined) return `${name}: ${problem}`;
  }
  return undefined;
}

/** Parses and checks a create body; an empty body counts as `{}`. */
export function checkCreateBody(text: string): BodyCheck {
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      return { detail: "JSON parse error - the request body is not valid JSON." };
    }
  }
  if (!isRecord(body)) {
    return { detail: `Invalid data. Expected a dictionary, but got ${typeName(body)}.` };
  }
  const problem = fieldProblem(body);
  if (problem !== undefined) return { detail: problem };
  const request: CreateReconnectInvitationRequest = {};
  if (Array.isArray(body.allowedEmails)) request.allowedEmails = body.allowedEmails.map(String);
  if (typeof body.expiresInSeconds === "number") request.expiresInSeconds = body.expiresInSeconds;
  if (typeof body.maxUses === "number") request.maxUses = body.maxUses;
  if (typeof body.sendEmail === "boolean") request.sendEmail = body.sendEmail;
  return { request };
}
