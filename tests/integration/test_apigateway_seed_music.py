"""The Music API of the seed-003 tutorial, in our own code: Python functions
behind Lambda proxy integrations that take their input from request
headers, a console-style test, a stage with full execution logs and JSON
access logs, and the tutorial's curl calls."""
import json
import pathlib

import pytest

from apigateway_support import cli_in, invoke, lambda_uri
from conftest import unique_name, wait_for
from lambda_support import make_zip

pytestmark = pytest.mark.skipif(
    not (pathlib.Path(__file__).resolve().parents[2] / "runtimes" / "node_modules").is_dir(),
    reason="scripts/install-deps installs the runtimes' SDKs")

ACCOUNT = "123456789012"
REGION = "us-west-2"
LAMBDA_ROLE = f"arn:aws:iam::{ACCOUNT}:role/TestRoleLambda"
GATEWAY_ROLE = f"arn:aws:iam::{ACCOUNT}:role/TestRoleApiGateway"

# Three handlers in one module: the table's life and its items, each
# reading its arguments from the request's headers (else the query string,
# else the body).
MUSIC_PY = """
import json
import boto3
from botocore.exceptions import ClientError

db = boto3.client('dynamodb')


def answer(status, message):
    return {'statusCode': status, 'body': json.dumps(message)}


def arguments(event, missing):
    for source in ('headers', 'queryStringParameters'):
        if event.get(source) is not None:
            return {k.lower(): v for k, v in event[source].items()}, None
    if event.get('body') is not None:
        return json.loads(event['body']), None
    return None, answer(400, missing)


def create_table(event, context):
    args, error = arguments(event, 'No table name given.')
    if error:
        return error
    try:
        db.create_table(TableName=args['table'],
                        AttributeDefinitions=[{'AttributeName': 'Artist', 'AttributeType': 'S'},
                                              {'AttributeName': 'SongTitle', 'AttributeType': 'S'}],
                        KeySchema=[{'AttributeName': 'Artist', 'KeyType': 'HASH'},
                                   {'AttributeName': 'SongTitle', 'KeyType': 'RANGE'}],
                        ProvisionedThroughput={'ReadCapacityUnits': 5, 'WriteCapacityUnits': 5})
    except KeyError as e:
        return answer(400, 'Missing argument %s.' % e)
    except ClientError as e:
        return answer(500, str(e))
    return answer(200, 'Table created')


def delete_table(event, context):
    args, error = arguments(event, 'No table name given.')
    if error:
        return error
    try:
        db.delete_table(TableName=args['table'])
    except ClientError as e:
        return answer(500, str(e))
    return answer(200, 'Table deleted')


def handle_item(event, context):
    args, error = arguments(event, 'No item given.')
    if error:
        return error
    try:
        key = {'Artist': {'S': args['artist']}, 'SongTitle': {'S': args['songtitle']}}
        method = event['httpMethod']
        if method == 'PUT':
            db.put_item(TableName=args['table'],
                        Item=dict(key, AlbumTitle={'S': args['albumtitle']}))
            return answer(200, 'Item added')
        if method == 'POST':
            db.update_item(TableName=args['table'], Key=key,
                           UpdateExpression='SET #a = :a',
                           ExpressionAttributeNames={'#a': 'AlbumTitle'},
                           ExpressionAttributeValues={':a': {'S': args['albumtitle']}})
            return answer(200, 'Item updated')
        if method == 'GET':
            found = db.get_item(TableName=args['table'], Key=key).get('Item')
            return {'statusCode': 200, 'body': json.dumps(found)} if found else answer(404, 'Item not found')
        if method == 'DELETE':
            db.delete_item(TableName=args['table'], Key=key)
            return answer(200, 'Item deleted')
        return answer(400, 'Unsupported request.')
    except KeyError as e:
        return answer(400, 'Missing argument %s.' % e)
    except ClientError as e:
        return answer(500, str(e))
"""


def cli(server, *args):
    return cli_in(server, REGION, ACCOUNT, *args)


def test_the_music_api_end_to_end(server, tmp_path):
    package = tmp_path / "music.zip"
    package.write_bytes(make_zip({"music.py": MUSIC_PY}))
    functions = {}
    for handler in ["create_table", "delete_table", "handle_item"]:
        name = unique_name(handler.replace("_", ""))
        functions[handler] = cli(server, "lambda", "create-function", "--function-name", name,
                                 "--runtime", "python3.12", "--role", LAMBDA_ROLE,
                                 "--handler", f"music.{handler}",
                                 "--zip-file", f"fileb://{package}")["FunctionArn"]

    api = cli(server, "apigateway", "create-rest-api", "--name", "DemoRESTAPI",
              "--endpoint-configuration", "types=REGIONAL")["id"]
    root = cli(server, "apigateway", "get-resources", "--rest-api-id", api)["items"][0]["id"]
    music = cli(server, "apigateway", "create-resource", "--rest-api-id", api, "--parent-id", root,
                "--path-part", "DemoResourceMusic")["id"]
    table_resource = cli(server, "apigateway", "create-resource", "--rest-api-id", api,
                         "--parent-id", music, "--path-part", "DemoResourceMusicTable")["id"]
    item_resource = cli(server, "apigateway", "create-resource", "--rest-api-id", api,
                        "--parent-id", music, "--path-part", "DemoResourceMusicItem")["id"]
    routes = [(table_resource, "PUT", "create_table"), (table_resource, "DELETE", "delete_table")]
    routes += [(item_resource, m, "handle_item") for m in ["PUT", "POST", "GET", "DELETE"]]
    for resource, method, handler in routes:
        path = "DemoResourceMusic/" + ("DemoResourceMusicTable" if resource == table_resource
                                       else "DemoResourceMusicItem")
        cli(server, "apigateway", "put-method", "--rest-api-id", api, "--resource-id", resource,
            "--http-method", method, "--authorization-type", "NONE")
        cli(server, "apigateway", "put-integration", "--rest-api-id", api, "--resource-id",
            resource, "--http-method", method, "--type", "AWS_PROXY",
            "--integration-http-method", "POST", "--uri",
            lambda_uri(REGION, functions[handler]))
        # What the console does for a Lambda integration.
        cli(server, "lambda", "add-permission", "--function-name", functions[handler],
            "--statement-id", unique_name("apigw"), "--action", "lambda:InvokeFunction",
            "--principal", "apigateway.amazonaws.com",
            "--source-arn", f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api}/*/{method}/{path}")

    table = unique_name("Music")
    # The console's Test button.
    tested = cli(server, "apigateway", "test-invoke-method", "--rest-api-id", api,
                 "--resource-id", table_resource, "--http-method", "PUT",
                 "--headers", f"table={table}")
    assert (tested["status"], tested["body"]) == (200, '"Table created"')
    event_line = next(line for line in tested["log"].splitlines()
                      if "Endpoint request body after transformations" in line)
    # The event, cut at 1024 characters as AWS cuts log lines.
    event = event_line.split("transformations: ", 1)[1]
    assert event.startswith('{"resource":"/DemoResourceMusic/DemoResourceMusicTable",'
                            '"path":"/DemoResourceMusic/DemoResourceMusicTable",'
                            f'"httpMethod":"PUT","headers":{{"table":"{table}"}},'
                            f'"multiValueHeaders":{{"table":["{table}"]}},'
                            '"queryStringParameters":null,')
    assert event.endswith(" [TRUNCATED]")
    cli(server, "dynamodb", "delete-table", "--table-name", table)

    cli(server, "apigateway", "create-deployment", "--rest-api-id", api, "--stage-name", "Test")
    account = cli(server, "apigateway", "update-account", "--patch-operations",
                  f"op=replace,path=/cloudwatchRoleArn,value={GATEWAY_ROLE}")
    assert account["cloudwatchRoleArn"] == GATEWAY_ROLE
    cli(server, "logs", "create-log-group", "--log-group-name", "DemoRESTAPI")
    access_format = ('{"requestId":"$context.requestId", "ip": "$context.identity.sourceIp", '
                     '"httpMethod":"$context.httpMethod", "resourcePath":"$context.resourcePath", '
                     '"status":"$context.status", "protocol":"$context.protocol"}')
    stage = cli(server, "apigateway", "update-stage", "--rest-api-id", api, "--stage-name", "Test",
                "--patch-operations", json.dumps([
                    {"op": "replace", "path": "/*/*/logging/loglevel", "value": "INFO"},
                    {"op": "replace", "path": "/*/*/logging/dataTrace", "value": "true"},
                    {"op": "replace", "path": "/accessLogSettings/destinationArn",
                     "value": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:DemoRESTAPI"},
                    {"op": "replace", "path": "/accessLogSettings/format",
                     "value": access_format}]))
    assert stage["methodSettings"]["*/*"]["loggingLevel"] == "INFO"
    assert stage["methodSettings"]["*/*"]["dataTraceEnabled"] is True
    assert stage["accessLogSettings"]["format"] == access_format

    def curl(method, resource, **headers):
        got = invoke(server, api, "Test", f"/DemoResourceMusic/{resource}", method=method,
                     headers={"content-type": "application/json", **headers})
        return got.status, got.json()

    song = {"table": table, "artist": "No One You Know", "songtitle": "Call Me Today"}
    assert curl("PUT", "DemoResourceMusicTable", table=table) == (200, "Table created")
    assert curl("PUT", "DemoResourceMusicItem", albumtitle="Somewhat Famous", **song) == (
        200, "Item added")
    assert curl("POST", "DemoResourceMusicItem", albumtitle=" Louder Than Ever", **song) == (
        200, "Item updated")
    status, item = curl("GET", "DemoResourceMusicItem", **song)
    assert status == 200
    assert item["AlbumTitle"] == {"S": "Louder Than Ever"}
    assert curl("DELETE", "DemoResourceMusicItem", **song) == (200, "Item deleted")
    assert curl("GET", "DemoResourceMusicItem", **song) == (404, "Item not found")
    assert curl("DELETE", "DemoResourceMusicTable", table=table) == (200, "Table deleted")

    execution_group = f"API-Gateway-Execution-Logs_{api}/Test"

    def events_of(group):
        try:
            return cli(server, "logs", "filter-log-events", "--log-group-name", group)["events"]
        except AssertionError:
            return []

    assert wait_for(lambda: len(events_of("DemoRESTAPI")) >= 7, timeout=20)
    access = [json.loads(e["message"]) for e in events_of("DemoRESTAPI")]
    assert {a["httpMethod"] for a in access} == {"PUT", "POST", "GET", "DELETE"}
    assert {a["status"] for a in access} == {"200", "404"}
    assert all(a["resourcePath"].startswith("/DemoResourceMusic/") for a in access)
    assert all(a["protocol"] == "HTTP/1.1" for a in access)
    assert wait_for(lambda: any("Method completed with status: 404" in e["message"]
                                for e in events_of(execution_group)), timeout=20)
    messages = [e["message"] for e in events_of(execution_group)]
    request_id = access[0]["requestId"]
    ours = [m for m in messages if m.startswith(f"({request_id}) ")]
    assert any("Method request headers: " in m for m in ours)  # the data trace
    assert any("Endpoint response body before transformations" in m for m in ours)
