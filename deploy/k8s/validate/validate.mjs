#!/usr/bin/env node
// Validates Kubernetes manifests (multi-document YAML, from the files named or from stdin) against the Kubernetes
// OpenAPI schemas that kubernetes-models ships: types, required fields and enums, per apiVersion and kind.
// Prints one line per error ("<kind>/<name>: <path> <message>") and exits 1 if there is any, 2 on unreadable input.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import yaml from "js-yaml";

const require = createRequire(import.meta.url);

/** The kubernetes-models module of an apiVersion: "v1" → kubernetes-models/v1, "apps/v1" → kubernetes-models/apps/v1. */
function modelClass(apiVersion, kind) {
  try {
    return require(`kubernetes-models/${apiVersion}`)[kind];
  } catch {
    return undefined;
  }
}

/** The API server decodes base64 with Go's decoder, which skips line breaks; kustomize wraps long Secret values. */
function asTheServerReadsIt(document) {
  if (document?.kind !== "Secret" || typeof document.data !== "object" || document.data === null) {
    return document;
  }
  const data = Object.fromEntries(Object.entries(document.data).map(([key, value]) =>
    [key, typeof value === "string" ? value.replace(/[\r\n]/g, "") : value]));
  return { ...document, data };
}

function errorsOf(document) {
  const { apiVersion, kind } = document ?? {};
  const Model = typeof apiVersion === "string" && typeof kind === "string" ? modelClass(apiVersion, kind) : undefined;
  if (!Model) {
    return [`no schema for apiVersion ${JSON.stringify(apiVersion)}, kind ${JSON.stringify(kind)}`];
  }
  try {
    new Model(asTheServerReadsIt(document)).validate();
    return [];
  } catch (error) {
    return error.errors?.length
      ? error.errors.map(e => `${e.instancePath || "/"} ${e.message}${e.params ? " " + JSON.stringify(e.params) : ""}`)
      : [error.message];
  }
}

let documents;
try {
  const sources = process.argv.length > 2 ? process.argv.slice(2) : [0];
  documents = sources.flatMap(source => yaml.loadAll(readFileSync(source, "utf8"))).filter(d => d != null);
} catch (error) {
  console.error(`unreadable input: ${error.message}`);
  process.exit(2);
}

let failures = 0;
for (const document of documents) {
  const name = `${document?.kind ?? "?"}/${document?.metadata?.name ?? "?"}`;
  for (const error of errorsOf(document)) {
    console.log(`${name}: ${error}`);
    failures++;
  }
}
console.log(`${documents.length} objects, ${failures} errors`);
process.exit(failures ? 1 : 0);
