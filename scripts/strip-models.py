#!/usr/bin/env python3
"""Copies AWS's service models from botocore into models/, without the prose.

The models are the specification Stratus's protocol layer is driven by
(operations, HTTP bindings, shapes, constraints). We keep a stripped copy in
the repository so that a build does not depend on which botocore is installed.
Re-run after upgrading python3-botocore:  scripts/strip-models.py [BOTOCORE_DATA]
"""
import json
import pathlib
import sys

SERVICES = {
    "dynamodb": "2012-08-10",
    "dynamodbstreams": "2012-08-10",
    "lambda": "2015-03-31",
    "apigateway": "2015-07-09",
    "iam": "2010-05-08",
    "sts": "2011-06-15",
    "logs": "2014-03-28",
}
DROP = {"documentation", "documentationUrl", "examples", "deprecatedMessage"}


def adjust(service, model):
    """Corrections to AWS's published models, each for a stated reason."""
    if service == "lambda":
        # The Runtime enum of a botocore release lags Lambda (no python3.12,
        # nodejs20.x, provided.al2023...) and AWS answers an unknown runtime
        # with its own InvalidParameterValueException, not a validation
        # error: the service checks runtimes itself (lambda/configuration.cpp).
        model["shapes"]["Runtime"].pop("enum", None)
    if service == "dynamodb":
        # November 2025, composite GSI keys: a GSI's KeySchema may have up to
        # four HASH and four RANGE elements, so AWS's KeySchema shape lost its
        # "max": 2 (tables and LSIs are checked by the service).
        model["shapes"]["KeySchema"].pop("max", None)
    return model


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in DROP}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def main():
    data = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                        "/usr/lib/python3/dist-packages/botocore/data")
    out = pathlib.Path(__file__).resolve().parent.parent / "models"
    for service, version in SERVICES.items():
        model = json.loads((data / service / version / "service-2.json").read_text())
        text = json.dumps(adjust(service, strip(model)), separators=(",", ":"))
        (out / f"{service}.json").write_text(text + "\n")
        print(f"{service}: {len(text)} bytes")


if __name__ == "__main__":
    main()
