#!/usr/bin/env python3
"""Generates src/Timonel.Api/Protobuf/schema.json, the wire-format facts behind KubernetesProtobuf.

The Kubernetes protobuf encoding of an object is fixed by two upstream sources per API package:
  * generated.proto  - message names, field numbers and proto types (scalar, message, map, repeated);
  * types.go         - the Go struct each message is generated from; its `json:"name,omitempty"` tag and
                       whether the Go field is a pointer, a slice/map or a value decide how Go's JSON
                       marshaller writes the same object (omitted when empty, null, or always present).
This script joins both by (message, field number) and writes one compact JSON document the C# codec loads.

How to regenerate (with the search tool's `fetch`, which yields bare git directories):
    fetch github:kubernetes/api                      -> /work/.mirror/kubernetes+api/repo
    fetch github:kubernetes/apimachinery             -> /work/.mirror/kubernetes+apimachinery/repo
    fetch github:kubernetes/apiextensions-apiserver  -> /work/.mirror/kubernetes+apiextensions-apiserver/repo
    python3 tools/protobuf-schema/generate.py [--api DIR] [--apimachinery DIR] [--apiextensions DIR] \
        [--out src/Timonel.Api/Protobuf/schema.json]
Sources are read with `git --git-dir=DIR show REF:path` (REF defaults to a released tag, see below), so no work tree is needed.

Output format:
{
  "groupVersions": { "<apiVersion>": "<proto package>" },          e.g. "apps/v1": "k8s.io.api.apps.v1"
  "specials": { "<message>": "<form>" },                           messages whose JSON form is not an object
  "messages": { "<message>": [[number, "json", go, card, "type", omitempty], ...] }   (Go struct order)
}
  go:   "p" pointer (present only when set), "s" slice/map/[]byte (nil when empty),
        "v" value (always present in Go; zero when absent), "i" embedded inline struct (fields spliced in)
  card: "1" single, "r" repeated, "m" map<string, type>
  type: proto scalar (string, int32, int64, uint32, uint64, bool, bytes, double, float) or message name
"""
import argparse
import json
import re
import subprocess
import sys

API_PACKAGES = [
    "core/v1", "apps/v1", "batch/v1", "networking/v1", "storage/v1", "coordination/v1", "discovery/v1",
    "events/v1", "rbac/v1", "policy/v1", "autoscaling/v1", "autoscaling/v2", "scheduling/v1", "node/v1",
    "certificates/v1", "admissionregistration/v1", "authentication/v1", "authorization/v1", "flowcontrol/v1",
]
META = "pkg/apis/meta/v1"
APIEXTENSIONS = "pkg/apis/apiextensions/v1"

META_PKG = "k8s.io.apimachinery.pkg.apis.meta.v1"
# Messages with a custom MarshalJSON upstream; the codec knows each form by these names.
SPECIALS = {
    META_PKG + ".Time": "time",                      # meta/v1/time.go: RFC3339 seconds, null when zero
    META_PKG + ".MicroTime": "microtime",            # meta/v1/micro_time.go: RFC3339 with micros
    META_PKG + ".Duration": "duration",              # meta/v1/duration.go: Go time.Duration.String()
    META_PKG + ".FieldsV1": "rawjson",               # meta/v1/types.go: raw JSON bytes in field 1
    "k8s.io.apimachinery.pkg.api.resource.Quantity": "quantity",          # one string field
    "k8s.io.apimachinery.pkg.util.intstr.IntOrString": "intorstring",     # type, intVal, strVal
    "k8s.io.apimachinery.pkg.runtime.RawExtension": "rawextension",       # raw bytes of an embedded object
    "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON": "rawjson",
    "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray": "schemaorarray",
    "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool": "schemaorbool",
    "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray": "schemaorstringarray",
}
META_STRUCTS = {}
# The released tag read from every repository (the kubernetes/api, apimachinery and apiextensions-apiserver
# repositories tag v0.X.Y for Kubernetes 1.X.Y).
REF = "v0.35.7"
SCALARS = {"string", "int32", "int64", "uint32", "uint64", "bool", "bytes", "double", "float"}


def git_show(git_dir, path):
    return subprocess.run(["git", "--git-dir", git_dir, "show", REF + ":" + path],
                          check=True, capture_output=True, text=True).stdout


def git_ls(git_dir, path):
    out = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "--name-only", REF, path + "/"],
                         check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line]


def parse_proto(text):
    """Returns (package, {message: [(card, type, name, number)]}) of a generated.proto."""
    package = re.search(r"^package\s+([\w.]+);", text, re.M).group(1)
    messages = {}
    current = None
    for raw in text.splitlines():
        line = raw.split("//", 1)[0].strip()
        if not line:
            continue
        m = re.match(r"message\s+(\w+)\s*\{", line)
        if m:
            current = package + "." + m.group(1)
            messages[current] = []
            continue
        if line == "}":
            current = None
            continue
        if current is None:
            continue
        m = re.match(r"map<\s*(\w+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)", line)
        if m:
            if m.group(1) != "string":
                sys.exit(f"{current}.{m.group(3)}: map key {m.group(1)} is not string")
            messages[current].append(("m", qualify(package, m.group(2)), m.group(3), int(m.group(4))))
            continue
        m = re.match(r"(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)", line)
        if m:
            card = "r" if m.group(1) == "repeated" else "1"
            messages[current].append((card, qualify(package, m.group(2)), m.group(3), int(m.group(4))))
    return package, messages


def qualify(package, type_name):
    if type_name in SCALARS:
        return type_name
    if type_name.startswith("."):
        return type_name[1:]
    return package + "." + type_name


def parse_go(text):
    """Returns ({struct: [(name, go_type, json_tag, proto_number)]}, {named slice/map types}, {alias: type})."""
    structs = {}
    named_collections = set()
    aliases = {}
    current = None
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.startswith("//"):
            continue
        m = re.match(r"type\s+(\w+)\s+struct\s*\{", stripped)
        if m and raw.startswith("type"):
            current = m.group(1)
            structs[current] = []
            continue
        m = re.match(r"type\s+(\w+)\s+(\[\]|map\[)", stripped)
        if m and raw.startswith("type"):
            named_collections.add(m.group(1))
            continue
        m = re.match(r"type\s+(\w+)\s+([\w.]+)\s*$", stripped)
        if m and raw.startswith("type"):
            aliases[m.group(1)] = m.group(2)
            continue
        if raw.startswith("}"):
            current = None
            continue
        if current is None or "`" not in raw:
            continue
        pre, tags = raw.split("`", 1)
        tokens = pre.split()
        if len(tokens) == 1:
            name, go_type = None, tokens[0]
        elif len(tokens) == 2:
            name, go_type = tokens
        else:
            continue
        json_m = re.search(r'json:"([^"]*)"', tags)
        proto_m = re.search(r'protobuf:"\w+,(\d+),', tags)
        structs[current].append((name, go_type, json_m.group(1) if json_m else None,
                                 int(proto_m.group(1)) if proto_m else None))
    return structs, named_collections, aliases


def go_kind(name, go_type, json_tag, card, proto_type, named_collections):
    if name is None and (json_tag is None or json_tag.split(",")[0] == ""):
        return "i"
    if go_type.startswith("*"):
        return "p"
    if card in ("r", "m") or go_type.startswith("[]") or go_type.startswith("map["):
        return "s"
    if go_type.split(".")[-1] in named_collections:
        return "s"
    return "v"


def build_package(git_dir, directory, schema, wrappers, group_version=None):
    package, proto_messages = parse_proto(git_show(git_dir, directory + "/generated.proto"))
    structs, named_collections, aliases = {}, set(), {}
    for path in git_ls(git_dir, directory):
        base = path.rsplit("/", 1)[-1]
        if not base.endswith(".go") or base.endswith("_test.go") or base.startswith("zz_") or base.startswith("generated"):
            continue
        s, n, a = parse_go(git_show(git_dir, path))
        structs.update(s)
        named_collections |= n
        aliases.update(a)
    # A type defined as another package's struct (core/v1 `type List metav1.List`) has that struct's fields.
    for alias, target in aliases.items():
        if alias not in structs and target.split(".")[-1] in META_STRUCTS:
            structs[alias] = META_STRUCTS[target.split(".")[-1]]
    if directory == META:
        META_STRUCTS.update(structs)
    for message, proto_fields in proto_messages.items():
        short = message.rsplit(".", 1)[1]
        by_number = {number: (card, proto_type) for card, proto_type, _, number in proto_fields}
        if short not in structs:
            # A named Go slice type sent as a message with one repeated `items` field (e.g. meta/v1 Verbs).
            if len(proto_fields) == 1 and proto_fields[0][2] == "items" and proto_fields[0][0] == "r":
                wrappers[message] = "items"
                schema["messages"][message] = [[1, "items", "s", "r", proto_fields[0][1], 0]]
                continue
            if message in SPECIALS:
                continue
            sys.exit(f"{message}: no Go struct found in {directory}")
        fields = []
        for name, go_type, json_tag, number in structs[short]:
            if number is None or json_tag == "-" or number not in by_number:
                continue
            card, proto_type = by_number[number]
            parts = (json_tag or "").split(",")
            json_name = parts[0] if parts[0] else (name or "")
            kind = go_kind(name, go_type, json_tag, card, proto_type, named_collections)
            if kind == "i":
                json_name = ""
            omit = 1 if "omitempty" in parts[1:] else 0
            fields.append([number, json_name, kind, card, proto_type, omit])
        unmatched = sorted(set(by_number) - {f[0] for f in fields})
        if unmatched and message not in SPECIALS:
            print(f"warning: {message}: proto fields {unmatched} have no Go field", file=sys.stderr)
        schema["messages"][message] = fields
    if group_version is not None:
        schema["groupVersions"][group_version] = package


def group_name(git_dir, directory):
    text = git_show(git_dir, directory + "/register.go")
    return re.search(r'GroupName\s*=\s*"([^"]*)"', text).group(1)


def main():
    global REF
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--api", default="/work/.mirror/kubernetes+api/repo")
    parser.add_argument("--apimachinery", default="/work/.mirror/kubernetes+apimachinery/repo")
    parser.add_argument("--apiextensions", default="/work/.mirror/kubernetes+apiextensions-apiserver/repo")
    parser.add_argument("--ref", default=REF, help="git tag or commit to read (default %(default)s)")
    parser.add_argument("--out", default="src/Timonel.Api/Protobuf/schema.json")
    args = parser.parse_args()
    REF = args.ref

    schema = {"source": "kubernetes/api, apimachinery, apiextensions-apiserver at " + REF, "groupVersions": {}, "specials": dict(SPECIALS), "messages": {}}
    wrappers = {}
    build_package(args.apimachinery, META, schema, wrappers, "meta.k8s.io/v1")
    for directory in API_PACKAGES:
        group = group_name(args.api, directory)
        version = directory.rsplit("/", 1)[1]
        build_package(args.api, directory, schema, wrappers, f"{group}/{version}" if group else version)
    group = group_name(args.apiextensions, APIEXTENSIONS)
    build_package(args.apiextensions, APIEXTENSIONS, schema, wrappers, f"{group}/v1")
    schema["specials"].update(wrappers)

    referenced = {f[4] for fields in schema["messages"].values() for f in fields if f[4] not in SCALARS}
    missing = sorted(t for t in referenced if t not in schema["messages"] and t not in schema["specials"])
    if missing:
        sys.exit("referenced but not defined: " + ", ".join(missing))

    with open(args.out, "w", encoding="utf-8") as out:
        out.write("{\n")
        out.write('"source": ' + json.dumps(schema["source"]) + ",\n")
        out.write('"groupVersions": ' + json.dumps(schema["groupVersions"], sort_keys=True) + ",\n")
        out.write('"specials": ' + json.dumps(schema["specials"], sort_keys=True) + ",\n")
        out.write('"messages": {\n')
        names = sorted(schema["messages"])
        for i, name in enumerate(names):
            sep = "," if i < len(names) - 1 else ""
            out.write(json.dumps(name) + ": " + json.dumps(schema["messages"][name], separators=(",", ":")) + sep + "\n")
        out.write("}\n}\n")
    print(f"wrote {args.out}: {len(names)} messages, {len(schema['groupVersions'])} group versions")


if __name__ == "__main__":
    main()
