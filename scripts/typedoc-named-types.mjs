// @ts-check
/**
 * A TypeDoc plugin (`typedoc.json` `plugin`) for the generated types: `generated/schema.d.ts`
 * declares `type Connection = components["schemas"]["Connection"]`, an alias TypeScript does not
 * keep on the resolved type. Left alone, TypeDoc shows `Connection` as that indexed access with no
 * field, and every signature returning one expands it inline (its `country` alone lists 249
 * codes). This plugin:
 *
 * 1. documents each such alias by the type written for it in `components`: an object's fields,
 *    a union's values;
 * 2. converts a signature's return type from what the source wrote (`NectarPromise<Connection>`),
 *    not from the type TypeScript resolved, so the alias stays a link;
 * 3. turns every remaining `components["schemas"]["X"]` (the fields of one schema naming another)
 *    into a link to the documented `X`.
 *
 * Plain JavaScript: TypeDoc runs under Node, which loads it as it is.
 */
import { Converter, IndexedAccessType, ReferenceType, ReflectionKind } from "typedoc";
import ts from "typescript";

const GENERATED_SCHEMA = /[\\/]generated[\\/]schema\.d\.ts$/;

/**
 * Is `node` a `components["schemas"]["X"]`-style indexed access (any depth of string literals
 * on `components`)?
 * @param {ts.TypeNode} node
 */
function isComponentsAccess(node) {
  let current = node;
  while (ts.isIndexedAccessTypeNode(current)) current = current.objectType;
  return ts.isTypeReferenceNode(current) && current.typeName.getText() === "components";
}

/**
 * Step 1: an alias of the generated schema declared as an indexed access gets its resolved type.
 * @param {import("typedoc").Context} context
 * @param {import("typedoc").DeclarationReflection} reflection
 */
function resolveGeneratedAlias(context, reflection) {
  if (!reflection.kindOf(ReflectionKind.TypeAlias)) return;
  const declaration = context.getSymbolFromReflection(reflection)?.declarations?.[0];
  if (declaration === undefined || !ts.isTypeAliasDeclaration(declaration)) return;
  if (!GENERATED_SCHEMA.test(declaration.getSourceFile().fileName)) return;
  if (!isComponentsAccess(declaration.type)) return;
  const written = writtenTypeOf(context.checker, declaration.type);
  if (written === undefined) return;
  reflection.type = context.converter.convertType(scopedTo(context, reflection), written);
}

/**
 * `context` (the project's) narrowed step by step to `reflection`, as TypeDoc requires.
 * @param {import("typedoc").Context} context
 * @param {import("typedoc").Reflection} reflection
 * @returns {import("typedoc").Context}
 */
function scopedTo(context, reflection) {
  if (reflection === context.scope || reflection.parent === undefined) return context;
  return scopedTo(context, reflection.parent).withScope(reflection);
}

/**
 * The type node written for `components["schemas"]["X"]`: the `X: …` member of `components`'
 * `schemas` (an object literal, a union), which TypeDoc converts with its fields or values.
 * @param {ts.TypeChecker} checker
 * @param {ts.TypeNode} node
 */
function writtenTypeOf(checker, node) {
  if (!ts.isIndexedAccessTypeNode(node) || !ts.isLiteralTypeNode(node.indexType)) return;
  const key = node.indexType.literal;
  if (!ts.isStringLiteral(key)) return;
  const member = checker.getPropertyOfType(checker.getTypeAtLocation(node.objectType), key.text);
  const declaration = member?.declarations?.[0];
  return declaration !== undefined && ts.isPropertySignature(declaration)
    ? declaration.type
    : undefined;
}

/**
 * Step 2: a signature with a written return type is shown as written.
 * @param {import("typedoc").Context} context
 * @param {import("typedoc").SignatureReflection} signature
 * @param {ts.Node | undefined} declaration
 */
function returnTypeAsWritten(context, signature, declaration) {
  const node = declaration !== undefined && "type" in declaration ? declaration.type : undefined;
  if (node === undefined || !ts.isTypeNode(node)) return;
  if (ts.isTypePredicateNode(node) || ts.isThisTypeNode(node)) return;
  signature.type = context.converter.convertType(context.withScope(signature), node);
}

/**
 * The name `X` of a `components[…]["X"]` type, or undefined.
 * @param {import("typedoc").SomeType} type
 */
function componentName(type) {
  if (!(type instanceof IndexedAccessType) || type.indexType.type !== "literal") return;
  let object = type.objectType;
  while (object instanceof IndexedAccessType) object = object.objectType;
  if (!(object instanceof ReferenceType) || object.name !== "components") return;
  const name = type.indexType.value;
  return typeof name === "string" ? name : undefined;
}

/**
 * Step 3: rewrites `type` (and the types inside it), each `components[…]["X"]` with a
 * documented alias `X` becoming a link to it.
 * @param {import("typedoc").SomeType | undefined} type
 * @param {Map<string, import("typedoc").Reflection>} aliases
 * @param {import("typedoc").ProjectReflection} project
 * @returns {import("typedoc").SomeType | undefined}
 */
function linkComponents(type, aliases, project) {
  if (type === undefined) return type;
  const name = componentName(type);
  const target = name === undefined ? undefined : aliases.get(name);
  if (name !== undefined && target !== undefined) {
    return ReferenceType.createResolvedReference(name, target, project);
  }
  const link = (/** @type {import("typedoc").SomeType} */ inner) =>
    linkComponents(inner, aliases, project) ?? inner;
  switch (type.type) {
    case "union":
    case "intersection":
      type.types = type.types.map(link);
      break;
    case "array":
    case "optional":
    case "rest":
      type.elementType = link(type.elementType);
      break;
    case "reference":
      type.typeArguments = type.typeArguments?.map(link);
      break;
    case "tuple":
      type.elements = type.elements.map(link);
      break;
    case "typeOperator":
      type.target = link(type.target);
      break;
    case "indexedAccess":
      type.objectType = link(type.objectType);
      break;
  }
  return type;
}

/**
 * Step 3 over the whole project, once every reflection exists.
 * @param {import("typedoc").Context} context
 */
function linkAllComponents(context) {
  const project = context.project;
  /** @type {Map<string, import("typedoc").Reflection>} */
  const aliases = new Map();
  for (const reflection of project.getReflectionsByKind(ReflectionKind.TypeAlias)) {
    const file = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile();
    if (file !== undefined && GENERATED_SCHEMA.test(file.fileName)) {
      aliases.set(reflection.name, reflection);
    }
  }
  for (const reflection of Object.values(project.reflections)) {
    if ("type" in reflection && reflection.type !== undefined) {
      reflection.type = /** @type {any} */ (linkComponents(reflection.type, aliases, project));
    }
  }
}

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_SIGNATURE, returnTypeAsWritten);
  // An alias's type is set after its creation event: steps 1 and 3 run once all exist.
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    // Converting needs the program active again (one program here: tsconfig.build.json's).
    context.setActiveProgram(context.programs[0]);
    for (const reflection of context.project.getReflectionsByKind(ReflectionKind.TypeAlias)) {
      resolveGeneratedAlias(
        context,
        /** @type {import("typedoc").DeclarationReflection} */ (reflection),
      );
    }
    context.setActiveProgram(undefined);
    linkAllComponents(context);
  });
}
