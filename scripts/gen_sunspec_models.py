#!/usr/bin/env python3
"""Generate FlexDispatch's Swift table of SunSpec model layouts from SunSpec's own
model definitions (the JSON files shipped in PyPI's pysunspec2, Apache-2.0).

    .venv-peers/bin/python scripts/gen_sunspec_models.py [--refresh]

Reads model_<id>.json for the models below from datasets/sunspec-models/ when that
folder holds them all, else from the installed sunspec2 package (sunspec2/models/json/).
--refresh first copies them (and the package's LICENSE) from the installed package into
datasets/sunspec-models/ and rewrites its PROVENANCE.md for that pysunspec2 version.

Writes, per table below, one Swift file in Sources/Adapters/SunSpec/ that extends
SunSpecModelDefinition (defined elsewhere) with a static dictionary id -> definition
holding each model's fixed (top-level) block: every point after ID and L with its
offset in registers from the model's ID register, size, type, scale factor, units,
access and whether it is mandatory. Repeating groups are left out (noted in a comment).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATASET_DIR = os.path.join(ROOT, "datasets", "sunspec-models")
OUT_DIR = os.path.join(ROOT, "Sources", "Adapters", "SunSpec")
PACKAGE_JSON_PATH = "sunspec2/models/json"

# (file name, static let name, model ids). One table is over ~600 lines, so two files.
TABLES = [
    ("SunSpecModelTable.swift", "builtInInverters", [1, 101, 102, 103, 120, 121, 123]),
    ("SunSpecModelTable2.swift", "builtInMetersAndStorage", [124, 201, 202, 203, 204, 802]),
]
MODELS = [mid for _, _, ids in TABLES for mid in ids]

POINT_TYPES = {
    "int16": 1, "uint16": 1, "count": 1, "acc16": 1, "enum16": 1, "bitfield16": 1, "pad": 1,
    "int32": 2, "uint32": 2, "acc32": 2, "enum32": 2, "bitfield32": 2, "ipaddr": 2,
    "int64": 4, "uint64": 4, "acc64": 4, "ipv6addr": 8, "float32": 2, "float64": 4,
    "string": None, "sunssf": 1, "eui48": 4,
}

REGEN = "`.venv-peers/bin/python scripts/gen_sunspec_models.py`"


def fail(message: str):
    print(f"gen_sunspec_models: {message}", file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------


def package_dir() -> tuple[str, str]:
    """(folder of the installed package's model JSON files, pysunspec2 version)."""
    try:
        import sunspec2  # pysunspec2's import name
    except ImportError:
        fail("pysunspec2 is not installed and datasets/sunspec-models/ is incomplete; "
             "install it with `.venv-peers/bin/pip install pysunspec2` and run with --refresh")
    folder = os.path.join(os.path.dirname(sunspec2.__file__), "models", "json")
    return folder, importlib.metadata.version("pysunspec2")


def package_license() -> str | None:
    dist = importlib.metadata.distribution("pysunspec2")
    for f in dist.files or []:
        if os.path.basename(str(f)).upper().startswith("LICENSE"):
            return str(dist.locate_file(f))
    return None


def dataset_version() -> str | None:
    path = os.path.join(DATASET_DIR, "PROVENANCE.md")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        m = re.search(r"^Source: PyPI package pysunspec2 (\S+)", f.read(), re.MULTILINE)
    return m.group(1) if m else None


def dataset_complete() -> bool:
    return all(os.path.exists(os.path.join(DATASET_DIR, f"model_{mid}.json")) for mid in MODELS) \
        and dataset_version() is not None


def sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def refresh():
    src, version = package_dir()
    os.makedirs(DATASET_DIR, exist_ok=True)
    for mid in MODELS:
        shutil.copyfile(os.path.join(src, f"model_{mid}.json"),
                        os.path.join(DATASET_DIR, f"model_{mid}.json"))
    lic = package_license()
    if lic is None:
        fail("the installed pysunspec2 has no LICENSE file in its metadata")
    shutil.copyfile(lic, os.path.join(DATASET_DIR, "LICENSE"))
    defs = {mid: load(DATASET_DIR, mid) for mid in MODELS}
    write_provenance(version, defs)
    print(f"copied {len(MODELS)} model definitions and LICENSE from pysunspec2 {version}",
          file=sys.stderr)


def write_provenance(version: str, defs: dict):
    rows = []
    for mid in MODELS:
        top = defs[mid]["group"]
        path = os.path.join(DATASET_DIR, f"model_{mid}.json")
        rows.append(f"| `model_{mid}.json` | {mid} | `{top['name']}` | {top.get('label', '')} "
                    f"| {fixed_length(top)} | `{sha256(path)[:16]}` |")
    text = f"""# sunspec-models — SunSpec information model definitions

Source: PyPI package pysunspec2 {version} (`pip install "pysunspec2=={version}"`), the
SunSpec Alliance's Python library; these files are its `{PACKAGE_JSON_PATH}/model_<id>.json`,
copied unmodified (byte for byte). `LICENSE` is the licence file of that wheel
(`pysunspec2-{version}.dist-info/LICENSE`), copied unmodified.

## What the files are

Each `model_<id>.json` is the machine-readable definition of one SunSpec information
model in SunSpec's JSON model format: `id`, and a top-level `group` whose first two points
are `ID` and `L`, followed by the points of the model's fixed block in register order
(`name`, `type`, `size` in registers, optional `sf` — the name of a `sunssf` point or a
constant —, `units`, `access` `R`/`RW`, `mandatory` `M`/`O`, `static`, `label`, `desc`,
`symbols` for enumerations and bitfields), and, for some models, repeating `groups`.

| file | model | name | label | L (fixed block) | sha256 (first 16) |
|---|---|---|---|---|---|
{chr(10).join(rows)}

## Use in FlexDispatch

`scripts/gen_sunspec_models.py` reads these files (or, when this folder is incomplete,
the installed package's) and writes `Sources/Adapters/SunSpec/SunSpecModelTable.swift`
and `SunSpecModelTable2.swift`, the register layouts of the fixed blocks that FlexDispatch's
SunSpec adapter knows. The generated files are derived from these definitions and say so
in their header.

Regenerate:

```sh
.venv-peers/bin/python scripts/gen_sunspec_models.py            # Swift tables from this folder
.venv-peers/bin/pip install "pysunspec2==<version>"             # to move to another release:
.venv-peers/bin/python scripts/gen_sunspec_models.py --refresh  # re-copy files + LICENSE, rewrite this file
```

## Licence

The pysunspec2 package, including these model definitions, is licensed under the Apache
License, Version 2.0 (package metadata: "Apache Software License, Version 2.0"); the
copyright holder is the SunSpec Alliance. The package ships no NOTICE file. The files
here are unmodified copies; the full licence text is in `LICENSE` beside this file.

    Copyright (C) SunSpec Alliance

    Licensed under the Apache License, Version 2.0 (the "License");
    you may not use these files except in compliance with the License.
    You may obtain a copy of the License at

        http://www.apache.org/licenses/LICENSE-2.0

    Unless required by applicable law or agreed to in writing, software
    distributed under the License is distributed on an "AS IS" BASIS,
    WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
    See the License for the specific language governing permissions and
    limitations under the License.
"""
    with open(os.path.join(DATASET_DIR, "PROVENANCE.md"), "w", encoding="utf-8") as f:
        f.write(text)


def load(folder: str, mid: int) -> dict:
    path = os.path.join(folder, f"model_{mid}.json")
    try:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
    except (OSError, ValueError) as exc:
        fail(f"cannot read {path}: {exc}")
    if d.get("id") != mid or "group" not in d:
        fail(f"{path} is not the definition of model {mid}")
    return d


# ---------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------


def point_size(p: dict, model_id) -> int:
    t = p.get("type")
    if t not in POINT_TYPES:
        fail(f"model {model_id}: point {p.get('name')} has unknown type {t!r}")
    size = p.get("size", POINT_TYPES[t])
    if size is None:
        fail(f"model {model_id}: string point {p.get('name')} has no size")
    return int(size)


def fixed_length(top: dict) -> int:
    return sum(point_size(p, "?") for p in top["points"]) - 2


def group_registers(g: dict, model_id) -> int:
    """Registers of one instance of a group (nested groups with a constant count included)."""
    n = sum(point_size(p, model_id) for p in g.get("points", []))
    for sub in g.get("groups", []):
        count = sub.get("count", 1)
        n += group_registers(sub, model_id) * (count if isinstance(count, int) else 1)
    return n


def swift_string(s: str) -> str:
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def swift_scale(sf) -> str | None:
    if sf is None or sf == "":
        return None
    if isinstance(sf, bool):
        fail(f"scale factor {sf!r} is not a point name or an integer")
    if isinstance(sf, int):
        return f".fixed({sf})"
    try:
        return f".fixed({int(str(sf), 0)})"
    except ValueError:
        return f".point({swift_string(str(sf))})"


def model_entry(mid: int, d: dict) -> list[str]:
    top = d["group"]
    points = top["points"]
    if len(points) < 2 or points[0].get("name") != "ID" or points[1].get("name") != "L":
        fail(f"model {mid}: the top-level group does not start with ID and L")
    names = {p["name"] for p in points}
    lines = [f"        {mid}: SunSpecModelDefinition(id: {mid}, name: {swift_string(top['name'])}, "
             f"label: {swift_string(top.get('label', top['name']))}, length: {fixed_length(top)}, points: ["]
    offset = 0
    for p in points:
        size = point_size(p, mid)
        if p["name"] not in ("ID", "L"):
            sf = swift_scale(p.get("sf"))
            if sf and sf.startswith(".point(") and p["sf"] not in names:
                fail(f"model {mid}: point {p['name']} refers to scale factor {p['sf']} "
                     "outside the fixed block")
            access = {"R": ".readOnly", "RW": ".readWrite"}.get(p.get("access", "R"))
            if access is None:
                fail(f"model {mid}: point {p['name']} has access {p.get('access')!r}")
            units = p.get("units")
            args = [swift_string(p["name"]), f"offset: {offset}", f"size: {size}", f"type: .{p['type']}"]
            if sf:
                args.append(f"scale: {sf}")
            args += [f"units: {swift_string(units) if units is not None else 'nil'}",
                     f"access: {access}", f"mandatory: {'true' if p.get('mandatory', 'O') == 'M' else 'false'}"]
            lines.append(f"            SunSpecPoint({', '.join(args)}),")
        offset += size
    close = "        ]),"
    groups = top.get("groups", [])
    if groups:
        close += " // " + "; ".join(f"repeating group '{g['name']}' of {group_registers(g, mid)} "
                                    "registers not included" for g in groups)
    lines.append(close)
    return lines


def render(let_name: str, ids: list[int], defs: dict, version: str) -> str:
    lines = [
        "// Generated by scripts/gen_sunspec_models.py from the SunSpec model definitions shipped in",
        f"// pysunspec2 {version} (PyPI, Apache-2.0); regenerate with {REGEN}. Do not edit.",
        "extension SunSpecModelDefinition {",
        f"    static let {let_name}: [Int: SunSpecModelDefinition] = [",
    ]
    for mid in ids:
        lines += model_entry(mid, defs[mid])
    lines += ["    ]", "}", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--refresh", action="store_true",
                    help="copy the definitions from the installed pysunspec2 into datasets/sunspec-models/ first")
    args = ap.parse_args(argv)
    if args.refresh:
        refresh()
    if dataset_complete():
        folder, version, where = DATASET_DIR, dataset_version(), "datasets/sunspec-models"
    else:
        folder, version = package_dir()
        where = f"the installed pysunspec2 ({PACKAGE_JSON_PATH})"
    defs = {mid: load(folder, mid) for mid in MODELS}
    os.makedirs(OUT_DIR, exist_ok=True)
    for file_name, let_name, ids in TABLES:
        text = render(let_name, ids, defs, version)
        path = os.path.join(OUT_DIR, file_name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {os.path.relpath(path, ROOT)} ({text.count(chr(10))} lines, "
              f"models {', '.join(map(str, ids))}) from {where}, pysunspec2 {version}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
