"""Functions that really run: Node.js (CommonJS, ES modules, aws-sdk v2 and
v3 against a DynamoDB table), Python (boto3), a provided runtime; updates,
versions and aliases, errors and timeouts, logs through CloudWatch Logs,
and asynchronous invocations that survive a SIGKILL."""

import base64
import json
import pathlib
import signal

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli, unique_name, wait_for
from lambda_support import ROLE, make_zip

pytestmark = pytest.mark.skipif(
    not (pathlib.Path(__file__).resolve().parents[2] / "runtimes" / "node_modules").is_dir(),
    reason="scripts/install-deps installs the Node.js SDKs")


@pytest.fixture(scope="module")
def awslambda(server):
    return server.client("lambda")


def create(client, files, runtime, handler="index.handler", **extra):
    name = unique_name("fn")
    client.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler,
                           Code={"ZipFile": make_zip(files)}, **extra)
    return name


def invoke(client, name, event, **extra):
    out = client.invoke(FunctionName=name, Payload=json.dumps(event).encode(), **extra)
    return out, json.loads(out["Payload"].read() or b"null")


def make_table(dynamodb):
    table = unique_name("fnt")
    dynamodb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    return table


NODE_V2 = """
const AWS = require('aws-sdk');
const db = new AWS.DynamoDB.DocumentClient();
exports.handler = (event, context, callback) => {
  db.put({TableName: event.table, Item: {id: event.id, by: 'v2'}}, (err) => {
    if (err) return callback(err);
    db.get({TableName: event.table, Key: {id: event.id}}, (err, data) => callback(err, data && data.Item));
  });
};
"""

NODE_V3_ESM = """
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
const db = new DynamoDBClient({});
export const handler = async (event, context) => {
  await db.send(new PutItemCommand({TableName: event.table, Item: {id: {S: event.id}, by: {S: 'v3'}}}));
  const got = await db.send(new GetItemCommand({TableName: event.table, Key: {id: {S: event.id}}}));
  return {by: got.Item.by.S, remaining: context.getRemainingTimeInMillis() > 0, fn: context.functionName};
};
"""

PYTHON_BOTO3 = """
import boto3, os
table = boto3.resource('dynamodb').Table(os.environ['TABLE'])
def lambda_handler(event, context):
    table.put_item(Item={'id': event['id'], 'by': 'boto3'})
    account = boto3.client('sts').get_caller_identity()['Account']
    return {'item': table.get_item(Key={'id': event['id']})['Item'], 'account': account,
            'request': context.aws_request_id}
"""


def test_node_aws_sdk_v2_as_the_seed_tutorial_uses_it(awslambda, dynamodb):
    table = make_table(dynamodb)
    name = create(awslambda, {"index.js": NODE_V2}, "nodejs8.10")
    out, body = invoke(awslambda, name, {"table": table, "id": "a"})
    assert "FunctionError" not in out, body
    assert body == {"id": "a", "by": "v2"}
    assert dynamodb.get_item(TableName=table, Key={"id": {"S": "a"}})["Item"]["by"] == {"S": "v2"}


def test_node_es_module_with_aws_sdk_v3(awslambda, dynamodb):
    table = make_table(dynamodb)
    name = create(awslambda, {"index.mjs": NODE_V3_ESM}, "nodejs20.x")
    out, body = invoke(awslambda, name, {"table": table, "id": "b"})
    assert "FunctionError" not in out, body
    assert body == {"by": "v3", "remaining": True, "fn": name}


def test_python_with_boto3(awslambda, dynamodb):
    table = make_table(dynamodb)
    name = create(awslambda, {"handler.py": PYTHON_BOTO3}, "python3.12",
                  handler="handler.lambda_handler", Environment={"Variables": {"TABLE": table}})
    out, body = invoke(awslambda, name, {"id": "c"})
    assert "FunctionError" not in out, body
    assert body["item"] == {"id": "c", "by": "boto3"}
    assert len(body["account"]) == 12 and len(body["request"]) == 36


def test_provided_runtime_with_a_shell_bootstrap(awslambda):
    bootstrap = """#!/bin/sh
set -eu
while true; do
  headers=$(mktemp)
  event=$(curl -sS -D "$headers" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
  id=$(grep -i Lambda-Runtime-Aws-Request-Id "$headers" | tr -d '[:space:]' | cut -d: -f2)
  curl -sS -X POST "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$id/response" \\
       -d "{\\"echo\\": $event}" >/dev/null
done
"""
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("bootstrap")
        info.external_attr = 0o755 << 16
        z.writestr(info, bootstrap)
    name = unique_name("fn")
    awslambda.create_function(FunctionName=name, Runtime="provided.al2023", Role=ROLE,
                              Handler="unused", Code={"ZipFile": buf.getvalue()})
    out, body = invoke(awslambda, name, {"x": 1})
    assert body == {"echo": {"x": 1}}


def test_errors_timeouts_and_log_tail(awslambda):
    name = create(awslambda, {"index.js": """
exports.handler = async (event) => {
  console.log('working on', event.kind);
  if (event.kind === 'throw') throw new TypeError('bad input');
  if (event.kind === 'hang') await new Promise(() => setInterval(() => {}, 1000));
  return 'ok';
};
"""}, "nodejs20.x", Timeout=1)
    out, body = invoke(awslambda, name, {"kind": "fine"}, LogType="Tail")
    assert body == "ok"
    tail = base64.b64decode(out["LogResult"]).decode()
    assert "START RequestId:" in tail and "END RequestId:" in tail and "REPORT RequestId:" in tail
    assert "working on fine" in tail

    out, body = invoke(awslambda, name, {"kind": "throw"})
    assert out["FunctionError"] == "Unhandled"
    assert body["errorType"] == "TypeError" and body["errorMessage"] == "bad input"

    out, body = invoke(awslambda, name, {"kind": "hang"})
    assert out["FunctionError"] == "Unhandled"
    assert body["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 1.00 seconds" in body["errorMessage"]
    # The environment that timed out is replaced: the next call works.
    assert invoke(awslambda, name, {"kind": "fine"})[1] == "ok"


def test_update_code_versions_and_aliases(awslambda):
    name = create(awslambda, {"index.js": "exports.handler = async () => 'one';"}, "nodejs20.x")
    assert invoke(awslambda, name, {})[1] == "one"
    v1 = awslambda.publish_version(FunctionName=name)["Version"]
    awslambda.update_function_code(FunctionName=name,
                                   ZipFile=make_zip({"index.js": "exports.handler = async () => 'two';"}))
    awslambda.get_waiter("function_updated").wait(FunctionName=name)
    assert invoke(awslambda, name, {})[1] == "two"
    out, body = invoke(awslambda, name, {}, Qualifier=v1)
    assert body == "one" and out["ExecutedVersion"] == v1
    awslambda.create_alias(FunctionName=name, Name="live", FunctionVersion=v1)
    out, body = invoke(awslambda, name, {}, Qualifier="live")
    assert body == "one" and out["ExecutedVersion"] == v1


def test_function_output_reaches_cloudwatch_logs(awslambda, server):
    name = create(awslambda, {"index.js": "exports.handler = async (e) => { console.log('marker-' + e.n); };"},
                  "nodejs20.x")
    invoke(awslambda, name, {"n": 42})
    logs = server.client("logs")
    group = f"/aws/lambda/{name}"

    def messages():
        try:
            return [e["message"] for e in logs.filter_log_events(logGroupName=group)["events"]]
        except ClientError:
            return []

    assert wait_for(lambda: any("marker-42" in m for m in messages()), timeout=15)
    stream = logs.describe_log_streams(logGroupName=group)["logStreams"][0]["logStreamName"]
    assert "[$LATEST]" in stream
    assert any(m.startswith("REPORT RequestId:") for m in messages())
    # As a user reads them: `aws logs tail`.
    tail = aws_cli(server, "logs", "tail", group, "--since", "1h").stdout
    assert "marker-42" in tail and "START RequestId:" in tail


def processes_serving(data_dir):
    """Pids whose command line is a server on `data_dir`."""
    found = []
    for proc in pathlib.Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in args and str(data_dir).encode() in args:
            found.append(int(proc.name))
    return found


def test_event_invocations_survive_kill_9(private_server):
    awslambda = private_server.client("lambda")
    dynamodb = private_server.client("dynamodb")
    table = make_table(dynamodb)
    name = create(awslambda, {"handler.py": """
import boto3
def handler(event, context):
    boto3.client('dynamodb').put_item(TableName=event['table'], Item={'id': {'S': event['id']}})
"""}, "python3.11", handler="handler.handler")
    # Queue work and kill the server at once: what was acknowledged (202)
    # must still run after the restart.
    for i in range(5):
        out = awslambda.invoke(FunctionName=name, InvocationType="Event",
                               Payload=json.dumps({"table": table, "id": f"e{i}"}).encode())
        assert out["StatusCode"] == 202
    private_server.stop(signal.SIGKILL)
    # Nothing of the killed server lives on, not even an environment it was
    # forking when it died (a fork still waiting for its go-ahead).
    assert wait_for(lambda: not processes_serving(private_server.data_dir), timeout=10)
    private_server.start()
    dynamodb = private_server.client("dynamodb")

    def delivered():
        return dynamodb.scan(TableName=table)["Count"] == 5

    assert wait_for(delivered, timeout=60, interval=0.2)
