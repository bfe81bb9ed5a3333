"""The seed tutorials' Lambda steps with Debian's AWS CLI v2, unchanged but
for --endpoint-url."""
import json
import urllib.request

import pytest

from conftest import aws_cli, unique_name
from lambda_support import ROLE, make_zip


@pytest.fixture
def function_zip(tmp_path):
    path = tmp_path / "function.zip"
    path.write_bytes(make_zip({"index.js": "exports.handler = (e, c, cb) => cb(null, e);\n"}))
    return path


def cli_json(server, *args):
    return json.loads(aws_cli(server, *args).stdout or "{}")


def test_tutorial_create_function_and_waiters(server, function_zip):
    name = unique_name("LambdaFunctionOverHttps")
    created = cli_json(server, "lambda", "create-function", "--function-name", name,
                       "--zip-file", f"fileb://{function_zip}", "--handler", "index.handler",
                       "--runtime", "nodejs8.10", "--role", ROLE)
    assert created["State"] == "Pending"
    assert created["Runtime"] == "nodejs8.10"
    aws_cli(server, "lambda", "wait", "function-exists", "--function-name", name)
    aws_cli(server, "lambda", "wait", "function-active", "--function-name", name)
    aws_cli(server, "lambda", "wait", "function-active-v2", "--function-name", name)
    function = cli_json(server, "lambda", "get-function", "--function-name", name)
    assert function["Configuration"]["State"] == "Active"
    with urllib.request.urlopen(function["Code"]["Location"], timeout=10) as res:
        assert res.read() == function_zip.read_bytes()

    updated = cli_json(server, "lambda", "update-function-code", "--function-name", name,
                       "--zip-file", f"fileb://{function_zip}", "--publish")
    assert updated["LastUpdateStatus"] == "InProgress"
    aws_cli(server, "lambda", "wait", "function-updated", "--function-name", name)
    aws_cli(server, "lambda", "wait", "function-updated-v2", "--function-name", name)
    aws_cli(server, "lambda", "wait", "published-version-active", "--function-name", name,
            "--qualifier", "1")


def test_tutorial_add_permission(server, function_zip):
    name = unique_name("LambdaFunctionOverHttps")
    aws_cli(server, "lambda", "create-function", "--function-name", name, "--zip-file",
            f"fileb://{function_zip}", "--handler", "index.handler", "--runtime", "nodejs8.10",
            "--role", ROLE)
    source = "arn:aws:execute-api:us-east-1:000000000000:mnh1yprki7/*/POST/DynamoDBManager"
    out = cli_json(server, "lambda", "add-permission", "--function-name", name,
                   "--statement-id", "apigateway-test-2", "--action", "lambda:InvokeFunction",
                   "--principal", "apigateway.amazonaws.com", "--source-arn", source)
    statement = json.loads(out["Statement"])
    assert statement == {
        "Sid": "apigateway-test-2", "Effect": "Allow",
        "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "lambda:InvokeFunction",
        "Resource": f"arn:aws:lambda:us-east-1:000000000000:function:{name}",
        "Condition": {"ArnLike": {"AWS:SourceArn": source}}}
    policy = json.loads(cli_json(server, "lambda", "get-policy", "--function-name", name)["Policy"])
    assert policy["Statement"] == [statement]


def test_cli_versions_aliases_and_listing(server, function_zip):
    name = unique_name("fn")
    aws_cli(server, "lambda", "create-function", "--function-name", name, "--zip-file",
            f"fileb://{function_zip}", "--handler", "index.handler", "--runtime", "python3.12",
            "--role", ROLE, "--publish", "--environment", "Variables={TABLE=things}")
    alias = cli_json(server, "lambda", "create-alias", "--function-name", name, "--name", "live",
                     "--function-version", "1")
    assert alias["FunctionVersion"] == "1"
    config = cli_json(server, "lambda", "get-function-configuration", "--function-name",
                      f"{name}:live")
    assert config["Version"] == "1"
    assert config["Environment"] == {"Variables": {"TABLE": "things"}}
    names = [f["FunctionName"] for f in cli_json(server, "lambda", "list-functions")["Functions"]]
    assert name in names
    versions = cli_json(server, "lambda", "list-versions-by-function", "--function-name", name)
    assert [v["Version"] for v in versions["Versions"]] == ["$LATEST", "1"]
    settings = cli_json(server, "lambda", "get-account-settings")
    assert settings["AccountLimit"]["ConcurrentExecutions"] == 1000
    aws_cli(server, "lambda", "put-function-concurrency", "--function-name", name,
            "--reserved-concurrent-executions", "5")
    assert cli_json(server, "lambda", "get-function-concurrency", "--function-name", name)[
        "ReservedConcurrentExecutions"] == 5
    aws_cli(server, "lambda", "delete-function", "--function-name", name)
    missing = aws_cli(server, "lambda", "get-function", "--function-name", name, check=False)
    assert missing.returncode != 0
    assert "ResourceNotFoundException" in missing.stderr
    assert f"Function not found: arn:aws:lambda:us-east-1:000000000000:function:{name}" in (
        missing.stderr)


def test_cli_invoke_event_and_unavailable_execution(server, function_zip, tmp_path):
    name = unique_name("fn")
    aws_cli(server, "lambda", "create-function", "--function-name", name, "--zip-file",
            f"fileb://{function_zip}", "--handler", "index.handler", "--runtime", "nodejs8.10",
            "--role", ROLE)
    payload = tmp_path / "input.txt"
    payload.write_text('{"operation": "echo", "payload": {"somekey1": "somevalue1"}}')
    event = cli_json(server, "lambda", "invoke", "--function-name", name, "--invocation-type",
                     "Event", "--payload", f"fileb://{payload}", str(tmp_path / "out.txt"))
    assert event["StatusCode"] == 202
    sync = aws_cli(server, "lambda", "invoke", "--function-name", name, "--payload",
                   f"fileb://{payload}", str(tmp_path / "out.txt"), check=False)
    assert sync.returncode != 0
    assert "NotImplementedException" in sync.stderr
