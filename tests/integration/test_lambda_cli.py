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


def test_cli_invoke_sync_and_event(server, function_zip, tmp_path):
    name = unique_name("fn")
    aws_cli(server, "lambda", "create-function", "--function-name", name, "--zip-file",
            f"fileb://{function_zip}", "--handler", "index.handler", "--runtime", "nodejs8.10",
            "--role", ROLE)
    payload = tmp_path / "input.txt"
    payload.write_text('{"operation": "echo", "payload": {"somekey1": "somevalue1"}}')
    event = cli_json(server, "lambda", "invoke", "--function-name", name, "--invocation-type",
                     "Event", "--payload", f"fileb://{payload}", str(tmp_path / "event.txt"))
    assert event["StatusCode"] == 202
    sync = cli_json(server, "lambda", "invoke", "--function-name", name, "--payload",
                    f"fileb://{payload}", str(tmp_path / "out.txt"))
    assert sync["StatusCode"] == 200 and sync["ExecutedVersion"] == "$LATEST"
    assert json.loads((tmp_path / "out.txt").read_text()) == json.loads(payload.read_text())


def test_cli_settings_tags_and_pagination(server, function_zip):
    # An account of its own, so that the listing is ours alone.
    def cli(*args, check=True):
        return aws_cli(server, *args, check=check, access_key="333344445555")

    def as_json(*args):
        return json.loads(cli(*args).stdout or "{}")

    names = sorted(unique_name("fn") for _ in range(3))
    for name in names:
        cli("lambda", "create-function", "--function-name", name, "--zip-file",
            f"fileb://{function_zip}", "--handler", "index.handler", "--runtime", "nodejs20.x",
            "--role", ROLE, "--tags", "team=a")
    # The CLI follows NextMarker itself; --page-size makes it do so.
    listed = as_json("lambda", "list-functions", "--page-size", "1")
    assert [f["FunctionName"] for f in listed["Functions"]] == names
    first = as_json("lambda", "list-functions", "--max-items", "2")
    assert [f["FunctionName"] for f in first["Functions"]] == names[:2]
    assert "NextToken" in first

    arn = f"arn:aws:lambda:us-east-1:333344445555:function:{names[0]}"
    cli("lambda", "tag-resource", "--resource", arn, "--tags", "env=dev")
    cli("lambda", "untag-resource", "--resource", arn, "--tag-keys", "team")
    assert as_json("lambda", "list-tags", "--resource", arn)["Tags"] == {"env": "dev"}

    config = as_json("lambda", "put-function-event-invoke-config", "--function-name", names[0],
                     "--maximum-retry-attempts", "0", "--destination-config",
                     json.dumps({"OnFailure": {"Destination": arn.replace(names[0], names[1])}}))
    assert config["MaximumRetryAttempts"] == 0
    got = as_json("lambda", "get-function-event-invoke-config", "--function-name", names[0])
    assert got["DestinationConfig"]["OnFailure"]["Destination"].endswith(names[1])
    cli("lambda", "delete-function-event-invoke-config", "--function-name", names[0])
    missing = cli("lambda", "get-function-event-invoke-config", "--function-name", names[0],
                  check=False)
    assert missing.returncode != 0 and "doesn't have an EventInvokeConfig" in missing.stderr

    cli("lambda", "add-permission", "--function-name", names[0], "--statement-id", "s3",
        "--action", "lambda:InvokeFunction", "--principal", "s3.amazonaws.com")
    cli("lambda", "remove-permission", "--function-name", names[0], "--statement-id", "s3")
    gone = cli("lambda", "get-policy", "--function-name", names[0], check=False)
    assert gone.returncode != 0 and "ResourceNotFoundException" in gone.stderr

    settings = as_json("lambda", "get-account-settings")
    assert settings["AccountUsage"]["FunctionCount"] == 3
    cli("lambda", "delete-function-concurrency", "--function-name", names[0])
