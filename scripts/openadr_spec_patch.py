#!/usr/bin/env python3
"""Writes the OpenADR 3.1.0 definition with the fixes swift-openapi-generator needs.

    python3 scripts/openadr_spec_patch.py IN.yaml OUT.yaml

The definition is read from ../shared/spec/openadr3 (never copied into the project); the
patched copy goes to a temporary file for the generator. Each fix keeps what goes over
the wire unchanged:

1. `ven` and `resource` are allOf[objectMetadata, Bl*Request]: both halves declare
   `objectType` with disjoint enums (VEN vs BL_VEN_REQUEST), so no real object decodes.
   The request schemas' `objectType` becomes a plain string (their own enum stays in the
   description; the VTN checks it).
2. `BlVenRequest.targets` has `default: null          -` (a YAML typo read as a string).
3. `notification.object`'s discriminator has no mapping; the wire values are the
   objectTypes (PROGRAM, EVENT, ...), not the schema names. A mapping is added.
"""
import sys

import yaml


def main(src: str, dst: str) -> None:
    with open(src, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    schemas = spec["components"]["schemas"]
    for name in ("BlVenRequest", "VenVenRequest", "BlResourceRequest", "VenResourceRequest"):
        prop = schemas[name]["properties"]["objectType"]
        allowed = prop.pop("enum")
        prop["description"] = f"Used as discriminator; {name} sends {allowed[0]}."
    schemas["BlVenRequest"]["properties"]["targets"]["default"] = None
    schemas["notification"]["properties"]["object"]["discriminator"]["mapping"] = {
        "PROGRAM": "#/components/schemas/program",
        "REPORT": "#/components/schemas/report",
        "EVENT": "#/components/schemas/event",
        "SUBSCRIPTION": "#/components/schemas/subscription",
        "VEN": "#/components/schemas/ven",
        "RESOURCE": "#/components/schemas/resource",
    }
    with open(dst, "w", encoding="utf-8") as f:
        yaml.safe_dump(spec, f, sort_keys=False, allow_unicode=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
