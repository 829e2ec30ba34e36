#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks PROV-JSON documents against the W3C PROV-JSON schema and for what it cannot say: dangling references and undeclared prefixes.
"""Usage: check_prov.py SCHEMA FILE...

Validates each FILE against SCHEMA (the W3C PROV-JSON JSON Schema, draft-04) with
jsonschema's Draft4Validator, then checks what the schema cannot express:

  * every reference in a relation record (wasDerivedFrom, wasAttributedTo,
    wasGeneratedBy, used, wasAssociatedWith, ...) names an entity, activity or
    agent declared in the document (in the matching section);
  * every qualified name (record ids, attribute names, references, the "type"
    of a typed literal, and values typed prov:QUALIFIED_NAME / xsd:QName) uses
    a prefix declared in "prefix"; "prov" and "xsd" are implicit, "_:" names
    are blank nodes, and an unprefixed name needs a "default" namespace;
  * prefix names match the schema's own pattern (the schema does not enforce it);
  * used names its activity (PROV-DM requires it; the schema only requires
    prov:entity, because it reuses the generation definition);
  * prov:time, prov:startTime, prov:endTime and xsd-typed literals of common
    types have a valid lexical form (the schema's "format" keywords are not
    asserted by Draft4Validator, and it misplaces prov:startTime/endTime).

Each problem is printed as "FILE: PATH: message", PATH a JSON path from "$".
Exit status: 0 when every file is valid, 1 when any problem was found, 2 on a
usage error or an unusable schema.
"""

import datetime
import json
import re
import sys

try:
    import jsonschema
except ImportError:  # pragma: no cover - depends on the machine
    sys.stderr.write("check_prov.py: python3-jsonschema is not installed (installer/setup installs it)\n")
    sys.exit(2)

IMPLICIT_PREFIXES = {"prov", "xsd"}
PREFIX_NAME = re.compile(r"^[a-zA-Z0-9_\-]+$")  # the schema's patternProperties key
QNAME_TYPES = {"prov:QUALIFIED_NAME", "xsd:QName"}
TIME_ATTRIBUTES = {"prov:time", "prov:startTime", "prov:endTime"}

NODE_SECTIONS = ("entity", "activity", "agent")
# relation -> {field: kind}; kind is a node section, "node" (any of them), or
# ("relation", section) for fields naming another relation record by its id.
RELATION_FIELDS = {
    "wasGeneratedBy": {"prov:entity": "entity", "prov:activity": "activity"},
    "used": {"prov:activity": "activity", "prov:entity": "entity"},
    "wasInformedBy": {"prov:informed": "activity", "prov:informant": "activity"},
    "wasStartedBy": {"prov:activity": "activity", "prov:trigger": "entity", "prov:starter": "activity"},
    "wasEndedby": {"prov:activity": "activity", "prov:trigger": "entity", "prov:ender": "activity"},
    "wasInvalidatedBy": {"prov:entity": "entity", "prov:activity": "activity"},
    "wasDerivedFrom": {
        "prov:generatedEntity": "entity",
        "prov:usedEntity": "entity",
        "prov:activity": "activity",
        "prov:generation": ("relation", "wasGeneratedBy"),
        "prov:usage": ("relation", "used"),
    },
    "wasAttributedTo": {"prov:entity": "entity", "prov:agent": "agent"},
    "wasAssociatedWith": {"prov:activity": "activity", "prov:agent": "agent", "prov:plan": "entity"},
    "actedOnBehalfOf": {"prov:delegate": "agent", "prov:responsible": "agent", "prov:activity": "activity"},
    "wasInfluencedBy": {"prov:influencee": "node", "prov:influencer": "node"},
    "specializationOf": {"prov:specificEntity": "entity", "prov:generalEntity": "entity"},
    "alternateOf": {"prov:alternate1": "entity", "prov:alternate2": "entity"},
    "hadMember": {"prov:collection": "entity", "prov:entity": "entity"},
}
# Fields PROV-DM requires that the schema leaves optional.
REQUIRED_BEYOND_SCHEMA = {"used": ("prov:activity",)}

_DATE = r"-?\d{4,}-\d{2}-\d{2}"
_TZ = r"(Z|[+-]\d{2}:\d{2})?"
_DATETIME = re.compile(rf"^{_DATE}T\d{{2}}:\d{{2}}:\d{{2}}(\.\d+)?{_TZ}$")
XSD_LEXICAL = {
    "xsd:dateTime": _DATETIME,
    "xsd:date": re.compile(rf"^{_DATE}{_TZ}$"),
    "xsd:boolean": re.compile(r"^(true|false|1|0)$"),
    "xsd:integer": re.compile(r"^[+-]?\d+$"),
    "xsd:int": re.compile(r"^[+-]?\d+$"),
    "xsd:long": re.compile(r"^[+-]?\d+$"),
    "xsd:nonNegativeInteger": re.compile(r"^\+?\d+$"),
    "xsd:positiveInteger": re.compile(r"^\+?0*[1-9]\d*$"),
    "xsd:decimal": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    "xsd:double": re.compile(r"^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$"),
    "xsd:float": re.compile(r"^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$"),
}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(parts):
    """$.a.b['c:d'][0] for a sequence of keys and indices."""
    out = "$"
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif _IDENT.match(p):
            out += "." + p
        else:
            out += "[" + json.dumps(p) + "]"
    return out


def calendar_ok(text):
    """True when the date part of an xsd:date/dateTime is a real calendar day."""
    m = re.match(r"^(-?\d{4,})-(\d{2})-(\d{2})", text)
    if not m:
        return False
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not 1 <= year <= 9999:  # outside Python's range: trust the lexical check
        return 1 <= month <= 12 and 1 <= day <= 31
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


class Checker:
    def __init__(self, validator):
        self.validator = validator
        self.problems = []

    def problem(self, path, message):
        self.problems.append((json_path(path), message))

    # --- schema -------------------------------------------------------------
    def check_schema(self, doc):
        errors = sorted(self.validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
        for e in errors:
            message = e.message
            if e.context:
                # anyOf/oneOf: say why the alternatives failed, deepest (most specific) first, once each.
                seen = []
                for sub in sorted(e.context, key=lambda s: (-len(s.absolute_path), str(s.message))):
                    if sub.message not in seen:
                        seen.append(sub.message)
                message += " (" + "; ".join(seen[:4]) + ")"
            self.problem(list(e.absolute_path), "schema: " + message)

    # --- names --------------------------------------------------------------
    def check_qname(self, name, prefixes, path, what):
        if not isinstance(name, str):
            return
        if name.startswith("_:"):
            return  # blank node
        if ":" not in name:
            if "default" not in prefixes:
                self.problem(path, f"{what} '{name}' has no prefix and no \"default\" namespace is declared")
            return
        prefix = name.split(":", 1)[0]
        if prefix not in prefixes and prefix not in IMPLICIT_PREFIXES:
            self.problem(path, f"{what} '{name}' uses undeclared prefix '{prefix}'")

    def check_value(self, value, prefixes, path, attribute):
        """An attribute value: literal, typed literal, or array of them."""
        if isinstance(value, list):
            for i, item in enumerate(value):
                self.check_value(item, prefixes, path + [i], attribute)
            return
        if attribute in TIME_ATTRIBUTES:
            text = value.get("$") if isinstance(value, dict) else value
            if isinstance(text, str) and not (_DATETIME.match(text) and calendar_ok(text)):
                self.problem(path, f"{attribute} '{text}' is not an xsd:dateTime")
        if not isinstance(value, dict):
            return
        dtype, text = value.get("type"), value.get("$")
        if isinstance(dtype, str):
            self.check_qname(dtype, prefixes, path + ["type"], "datatype")
            if dtype in QNAME_TYPES:
                self.check_qname(text, prefixes, path + ["$"], "qualified name")
            lexical = XSD_LEXICAL.get(dtype)
            if lexical and isinstance(text, str):
                ok = bool(lexical.match(text))
                if ok and dtype in ("xsd:date", "xsd:dateTime"):
                    ok = calendar_ok(text)
                if not ok:
                    self.problem(path + ["$"], f"'{text}' is not a valid {dtype}")

    def check_attributes(self, record, prefixes, path, skip=()):
        for name, value in record.items():
            if name in skip:
                continue
            self.check_qname(name, prefixes, path + [name], "attribute")
            self.check_value(value, prefixes, path + [name], name)

    # --- documents and bundles -----------------------------------------------
    def check_container(self, doc, path, outer_prefixes, outer_nodes):
        prefixes = dict(outer_prefixes)
        declared_prefixes = doc.get("prefix")
        if isinstance(declared_prefixes, dict):
            for name in declared_prefixes:
                if not PREFIX_NAME.match(name):
                    self.problem(path + ["prefix", name], f"prefix name '{name}' is not of the form {PREFIX_NAME.pattern}")
            prefixes.update(declared_prefixes)

        nodes = {kind: set(outer_nodes.get(kind, ())) for kind in NODE_SECTIONS}
        for kind in NODE_SECTIONS:
            section = doc.get(kind)
            if not isinstance(section, dict):
                continue
            for ident, record in section.items():
                nodes[kind].add(ident)
                self.check_qname(ident, prefixes, path + [kind, ident], f"{kind} id")
                if isinstance(record, dict):
                    self.check_attributes(record, prefixes, path + [kind, ident])

        relation_ids = {rel: set(doc[rel]) for rel in RELATION_FIELDS if isinstance(doc.get(rel), dict)}
        for rel, fields in RELATION_FIELDS.items():
            section = doc.get(rel)
            if not isinstance(section, dict):
                continue
            for ident, record in section.items():
                rpath = path + [rel, ident]
                self.check_qname(ident, prefixes, rpath, f"{rel} id")
                if not isinstance(record, dict):
                    continue  # the schema already said so
                for field in REQUIRED_BEYOND_SCHEMA.get(rel, ()):
                    if field not in record:
                        self.problem(rpath, f"{rel} record has no {field} (PROV-DM requires it)")
                for field, kind in fields.items():
                    if field not in record or not isinstance(record[field], str):
                        continue
                    ref, fpath = record[field], rpath + [field]
                    self.check_qname(ref, prefixes, fpath, "reference")
                    if isinstance(kind, tuple):
                        if ref not in relation_ids.get(kind[1], ()):
                            self.problem(fpath, f"'{ref}' is not the id of a {kind[1]} record in this document")
                    elif kind == "node":
                        if not any(ref in nodes[k] for k in NODE_SECTIONS):
                            self.problem(fpath, f"'{ref}' is not a declared entity, activity or agent")
                    elif ref not in nodes[kind]:
                        self.problem(fpath, f"'{ref}' is not a declared {kind}")
                self.check_attributes(record, prefixes, rpath, skip=fields)

        bundles = doc.get("bundle")
        if isinstance(bundles, dict):
            for ident, bundle in bundles.items():
                self.check_qname(ident, prefixes, path + ["bundle", ident], "bundle id")
                if isinstance(bundle, dict):
                    self.check_container(bundle, path + ["bundle", ident], prefixes, nodes)

    def check(self, doc):
        self.check_schema(doc)
        if isinstance(doc, dict):
            self.check_container(doc, [], {}, {})


def reject_duplicate_keys(pairs):
    """json object_pairs_hook: a repeated key would silently hide a record."""
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"duplicate key {json.dumps(key)}")
        obj[key] = value
    return obj


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft4Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        sys.stderr.write(f"check_prov.py: unusable schema {argv[1]}: {e}\n")
        return 2
    validator = jsonschema.Draft4Validator(schema)  # formats are not asserted: see the docstring

    failed = False
    for name in argv[2:]:
        checker = Checker(validator)
        try:
            with open(name, encoding="utf-8") as f:
                doc = json.load(f, object_pairs_hook=reject_duplicate_keys)
        except (OSError, ValueError) as e:
            print(f"{name}: $: cannot read JSON: {e}")
            failed = True
            continue
        checker.check(doc)
        for path, message in checker.problems:
            print(f"{name}: {path}: {message}")
        if checker.problems:
            failed = True
        else:
            print(f"{name}: valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
