"""Checks `dynaschema table --format terraform` against `--format create-table`.

Usage: check_terraform.py TABLE.tf TABLE.json
Parses the HCL (python-hcl2) and fails unless the aws_dynamodb_table it declares has
exactly the CreateTable input's name, keys, attribute definitions and indexes.
Without a terraform binary (and its provider registry) this is CI's HCL check.
"""
import json
import sys

import hcl2


def text(value):
    """python-hcl2 keeps string quotes; strip them."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def keys(schema):
    hash_key = [k["AttributeName"] for k in schema if k["KeyType"] == "HASH"]
    range_key = [k["AttributeName"] for k in schema if k["KeyType"] == "RANGE"]
    return hash_key[0], (range_key[0] if range_key else None)


def main(tf_path, json_path):
    with open(tf_path) as f:
        hcl = hcl2.load(f)
    with open(json_path) as f:
        want = json.load(f)
    resources = [
        body
        for block in hcl.get("resource", [])
        for kind, named in block.items()
        if text(kind) == "aws_dynamodb_table"
        for body in named.values()
    ]
    assert len(resources) == 1, f"{tf_path}: expected one aws_dynamodb_table, got {len(resources)}"
    got = resources[0]
    problems = []

    def expect(what, actual, expected):
        if actual != expected:
            problems.append(f"{what}: terraform has {actual!r}, CreateTable has {expected!r}")

    expect("name", text(got["name"]), want["TableName"])
    expect("billing_mode", text(got["billing_mode"]), want["BillingMode"])
    hash_key, range_key = keys(want["KeySchema"])
    expect("hash_key", text(got["hash_key"]), hash_key)
    expect("range_key", text(got.get("range_key")), range_key)
    expect(
        "attributes",
        sorted((text(a["name"]), text(a["type"])) for a in got.get("attribute", [])),
        sorted((a["AttributeName"], a["AttributeType"]) for a in want["AttributeDefinitions"]),
    )
    for block, field, is_global in [
        ("global_secondary_index", "GlobalSecondaryIndexes", True),
        ("local_secondary_index", "LocalSecondaryIndexes", False),
    ]:
        actual = {}
        for index in got.get(block, []):
            actual[text(index["name"])] = (
                text(index.get("hash_key")) if is_global else None,
                text(index.get("range_key")),
                text(index["projection_type"]),
                sorted(text(a) for a in index.get("non_key_attributes", [])),
            )
        expected = {}
        for index in want.get(field, []):
            h, r = keys(index["KeySchema"])
            expected[index["IndexName"]] = (
                h if is_global else None,
                r,
                index["Projection"]["ProjectionType"],
                sorted(index["Projection"].get("NonKeyAttributes", [])),
            )
        expect(block, actual, expected)
    stream = want.get("StreamSpecification")
    expect("stream_view_type", text(got.get("stream_view_type")), stream and stream["StreamViewType"])
    if problems:
        print(f"{tf_path} does not declare the table {json_path} does:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        sys.exit(1)
    print(f"{tf_path}: same table as {json_path}")


if __name__ == "__main__":
    main(*sys.argv[1:])
