// Compares live answers of the server with api/openapi.json: every field an
// answer carries must be documented in its response schema, and every
// required field must be there (objects and arrays, recursively; oneOf and
// anyOf are not descended). The app's types are generated from the
// document, so a field the document lacks is one the app cannot see.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoDir } from './harness.mjs';

const doc = JSON.parse(readFileSync(join(repoDir, 'api/openapi.json'), 'utf8'));
const schemas = doc.components.schemas;

function resolve(s) {
  for (let i = 0; s && s.$ref && i < 20; i++) s = s.$ref.startsWith('#/components/schemas/') ? schemas[s.$ref.split('/').pop()] : doc.components.responses?.[s.$ref.split('/').pop()];
  return s;
}

function check(value, schema, where, out) {
  schema = resolve(schema);
  if (!schema || schema.oneOf || schema.anyOf) return;
  if (schema.allOf) {
    const properties = {};
    const required = [];
    for (const part of schema.allOf) {
      const r = resolve(part);
      Object.assign(properties, r?.properties ?? {});
      required.push(...(r?.required ?? []));
    }
    schema = { type: 'object', properties, required };
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if (!schema.properties) return;
    for (const [k, v] of Object.entries(value)) {
      if (!(k in schema.properties)) out.push(`${where}: field '${k}' is not in api/openapi.json`);
      else check(v, schema.properties[k], `${where}.${k}`, out);
    }
    for (const r of schema.required ?? []) if (!(r in value)) out.push(`${where}: required field '${r}' is missing from the answer`);
  } else if (Array.isArray(value) && schema.items) {
    value.slice(0, 50).forEach((x, i) => check(x, schema.items, `${where}[${i}]`, out));
  }
}

/** The documented 200 schema of `GET template`. */
function responseSchema(template) {
  const op = doc.paths[template]?.get;
  if (!op) throw new Error(`api/openapi.json has no GET ${template}`);
  const r = resolve(op.responses['200']);
  return r.content['application/json'].schema;
}

/** Problems found for [template, realPath] pairs, fetched with `get(path)` → JSON. */
export async function apiDrift(pairs, get) {
  const out = [];
  for (const [template, path] of pairs) check(await get(path), responseSchema(template), path, out);
  return [...new Set(out)];
}
