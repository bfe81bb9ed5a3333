"""API Gateway in front of Lambda: the seed-001 tutorial's DynamoDBOperations
API (a non-proxy AWS integration, test-invoke-method, two add-permissions,
curl), Lambda proxy integrations with the version 1.0 event, the permission
API Gateway needs, selection patterns over a function's errors, and the
asynchronous invocation header."""
import json
import pathlib
import time

import pytest

from apigateway_support import cli_in, invoke, lambda_uri, new_function, root_of
from conftest import unique_name, wait_for
from lambda_support import ROLE, make_zip

pytestmark = pytest.mark.skipif(
    not (pathlib.Path(__file__).resolve().parents[2] / "runtimes" / "node_modules").is_dir(),
    reason="scripts/install-deps installs the Node.js SDKs")

# Our own function for the tutorial's operations: create, read, update,
# delete and list on a table named in the request; echo and ping.
OPERATIONS_JS = """
const AWS = require('aws-sdk');
const db = new AWS.DynamoDB.DocumentClient();
exports.handler = async (event) => {
  const input = Object.assign({TableName: event.tableName}, event.payload);
  switch (event.operation) {
    case 'create': return db.put(input).promise();
    case 'read': return db.get(input).promise();
    case 'update': return db.update(input).promise();
    case 'delete': return db.delete(input).promise();
    case 'list': return db.scan(input).promise();
    case 'echo': return event.payload;
    case 'ping': return 'pong';
    default: throw new Error('Unrecognized operation "' + event.operation + '"');
  }
};
"""

ACCOUNT = "123456789012"
REGION = "us-east-2"


def cli(server, *args):
    return cli_in(server, REGION, ACCOUNT, *args)


def test_the_dynamodb_operations_tutorial_end_to_end(server, tmp_path):
    function = unique_name("LambdaFunctionOverHttps")
    table = unique_name("lambda-apigateway")
    package = tmp_path / "function.zip"
    package.write_bytes(make_zip({"index.js": OPERATIONS_JS}))
    cli(server, "lambda", "create-function", "--function-name", function,
        "--zip-file", f"fileb://{package}", "--handler", "index.handler",
        "--runtime", "nodejs8.10", "--role", ROLE)

    api = cli(server, "apigateway", "create-rest-api", "--name", "DynamoDBOperations")["id"]
    root = cli(server, "apigateway", "get-resources", "--rest-api-id", api)["items"][0]["id"]
    resource = cli(server, "apigateway", "create-resource", "--rest-api-id", api,
                   "--path-part", "DynamoDBManager", "--parent-id", root)["id"]
    cli(server, "apigateway", "put-method", "--rest-api-id", api, "--resource-id", resource,
        "--http-method", "POST", "--authorization-type", "NONE")
    uri = lambda_uri(REGION, f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{function}")
    integration = cli(server, "apigateway", "put-integration", "--rest-api-id", api,
                      "--resource-id", resource, "--http-method", "POST", "--type", "AWS",
                      "--integration-http-method", "POST", "--uri", uri)
    assert integration["passthroughBehavior"] == "WHEN_NO_MATCH"
    assert integration["timeoutInMillis"] == 29000
    cli(server, "apigateway", "put-method-response", "--rest-api-id", api, "--resource-id",
        resource, "--http-method", "POST", "--status-code", "200",
        "--response-models", "application/json=Empty")
    cli(server, "apigateway", "put-integration-response", "--rest-api-id", api,
        "--resource-id", resource, "--http-method", "POST", "--status-code", "200",
        "--response-templates", "application/json=")
    cli(server, "apigateway", "create-deployment", "--rest-api-id", api, "--stage-name", "prod")

    # Before any permission, API Gateway may not call the function.
    echo = {"operation": "echo", "payload": {"somekey1": "somevalue1", "somekey2": "somevalue2"}}
    denied = invoke(server, api, "prod", "/DynamoDBManager", method="POST",
                    body=json.dumps(echo))
    assert denied.status == 500
    assert denied.body == b'{"message": "Internal server error"}'
    body_file = tmp_path / "echo.json"
    body_file.write_text(json.dumps(echo))
    test = cli(server, "apigateway", "test-invoke-method", "--rest-api-id", api,
               "--resource-id", resource, "--http-method", "POST",
               "--path-with-query-string", "", "--body", f"file://{body_file}")
    assert test["status"] == 500
    assert ("Execution failed due to configuration error: Invalid permissions on Lambda function"
            in test["log"])

    for sid, stage in [("apigateway-test-2", "*"), ("apigateway-prod-2", "prod")]:
        statement = json.loads(cli(
            server, "lambda", "add-permission", "--function-name", function,
            "--statement-id", sid, "--action", "lambda:InvokeFunction",
            "--principal", "apigateway.amazonaws.com",
            "--source-arn", f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api}/{stage}/POST/DynamoDBManager",
        )["Statement"])
        assert statement["Condition"]["ArnLike"]["AWS:SourceArn"].endswith(
            f"{api}/{stage}/POST/DynamoDBManager")
    cli(server, "dynamodb", "create-table", "--table-name", table,
        "--attribute-definitions", "AttributeName=id,AttributeType=S",
        "--key-schema", "AttributeName=id,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST")

    create = {"operation": "create", "tableName": table,
              "payload": {"Item": {"id": "1234ABCD", "number": 5}}}
    body_file.write_text(json.dumps(create))
    test = cli(server, "apigateway", "test-invoke-method", "--rest-api-id", api,
               "--resource-id", resource, "--http-method", "POST",
               "--path-with-query-string", "", "--body", f"file://{body_file}")
    assert (test["status"], json.loads(test["body"])) == (200, {})
    assert "Method completed with status: 200" in test["log"]

    # curl -X POST -d '...' https://$API.execute-api.$REGION.amazonaws.com/prod/DynamoDBManager
    curl_headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "curl/7.88"}
    created = invoke(server, api, "prod", "/DynamoDBManager", method="POST", headers=curl_headers,
                     body=json.dumps({"operation": "create", "tableName": table,
                                      "payload": {"Item": {"id": "1", "name": "Bob"}}}))
    assert (created.status, created.json()) == (200, {})
    item = cli(server, "dynamodb", "get-item", "--table-name", table, "--key",
               '{"id": {"S": "1"}}')["Item"]
    assert item == {"id": {"S": "1"}, "name": {"S": "Bob"}}
    echoed = invoke(server, api, "prod", "/DynamoDBManager", method="POST", headers=curl_headers,
                    body=json.dumps(echo))
    assert (echoed.status, echoed.json()) == (200, echo["payload"])
    listed = invoke(server, api, "prod", "/DynamoDBManager", method="POST",
                    body=json.dumps({"operation": "list", "tableName": table, "payload": {}}))
    assert listed.json()["Count"] == 2


PROXY_JS = """
exports.handler = async (event) => ({
  statusCode: 201,
  headers: {'Content-Type': 'application/json', 'X-Single': 'one'},
  multiValueHeaders: {'X-Multi': ['a', 'b']},
  body: JSON.stringify(event),
});
"""


@pytest.fixture(scope="module")
def awslambda(server):
    return server.client("lambda")


def proxy_api(server, apigw, awslambda, source, path_part="{proxy+}", permit=True,
              runtime="nodejs20.x", integration_type="AWS_PROXY", **integration):
    name, arn = new_function(awslambda, source, runtime, prefix="proxy")
    api = apigw.create_rest_api(name=unique_name("proxy-api"))["id"]
    resource = apigw.create_resource(restApiId=api, parentId=root_of(apigw, api),
                                     pathPart=path_part)["id"]
    apigw.put_method(restApiId=api, resourceId=resource, httpMethod="ANY",
                     authorizationType="NONE")
    apigw.put_integration(
        restApiId=api, resourceId=resource, httpMethod="ANY", type=integration_type,
        integrationHttpMethod="POST",
        uri=lambda_uri("us-east-1", arn),
        **integration)
    if permit:
        account = arn.split(":")[4]
        awslambda.add_permission(FunctionName=name, StatementId="apigw", Principal="apigateway.amazonaws.com",
                                 Action="lambda:InvokeFunction",
                                 SourceArn=f"arn:aws:execute-api:us-east-1:{account}:{api}/*/*/*")
    apigw.create_deployment(restApiId=api, stageName="dev", variables={"table": "Things"})
    return api, resource, name


def test_the_proxy_event_is_the_version_1_event(server, apigw, awslambda):
    api, resource, _ = proxy_api(server, apigw, awslambda, {"index.js": PROXY_JS})
    got = invoke(server, api, "dev", "/pets/a%20b?x=1&x=2&y=hello+world", method="POST",
                 body='{"name": "cat"}',
                 headers={"Content-Type": "application/json", "X-Custom-Header": "Value",
                          "X-Quote": 'say "hi" \\ there'})
    assert got.status == 201
    assert got.headers["x-multi"] == ["a", "b"]
    assert got.header("X-Single") == "one"
    event = got.json()
    assert list(event) == ["resource", "path", "httpMethod", "headers", "multiValueHeaders",
                           "queryStringParameters", "multiValueQueryStringParameters",
                           "pathParameters", "stageVariables", "requestContext", "body",
                           "isBase64Encoded"]
    assert event["resource"] == "/{proxy+}"
    assert event["path"] == "/pets/a%20b"
    assert event["httpMethod"] == "POST"
    assert event["headers"]["X-Custom-Header"] == "Value"
    assert event["multiValueHeaders"]["X-Custom-Header"] == ["Value"]
    assert event["headers"]["X-Quote"] == 'say "hi" \\ there'
    assert event["headers"]["X-Forwarded-For"] == "127.0.0.1"
    assert event["queryStringParameters"] == {"x": "2", "y": "hello world"}
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"], "y": ["hello world"]}
    assert event["pathParameters"] == {"proxy": "pets/a%20b"}
    assert event["stageVariables"] == {"table": "Things"}
    assert event["body"] == '{"name": "cat"}'
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["resourceId"] == resource
    assert context["resourcePath"] == "/{proxy+}"
    assert context["httpMethod"] == "POST"
    assert context["path"] == "/dev/pets/a%20b"
    assert context["stage"] == "dev"
    assert context["apiId"] == api
    assert context["protocol"] == "HTTP/1.1"
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert context["requestId"] == got.header("x-amzn-RequestId")
    assert context["extendedRequestId"] == got.header("x-amz-apigw-id")
    assert isinstance(context["requestTimeEpoch"], int)


def test_bytes_that_are_not_utf8_reach_the_function_replaced(server, apigw, awslambda):
    api, _, _ = proxy_api(server, apigw, awslambda, {"index.js": PROXY_JS}, path_part="raw")
    got = invoke(server, api, "dev", "/raw", method="POST", body=b"ok \xff\xc3(",
                 headers={"Content-Type": "text/plain"})
    assert got.status == 201
    assert got.json()["body"] == "ok \ufffd\ufffd("


def test_absent_maps_and_body_are_null(server, apigw, awslambda):
    api, _, _ = proxy_api(server, apigw, awslambda, {"index.js": PROXY_JS}, path_part="plain")
    event = invoke(server, api, "dev", "/plain").json()
    assert event["queryStringParameters"] is None
    assert event["multiValueQueryStringParameters"] is None
    assert event["pathParameters"] is None
    assert event["body"] is None


@pytest.mark.parametrize("answer,status", [
    ("{statusCode: 200, body: 'fine', cookies: []}", 502),
    ("{statusCode: 'teapot'}", 502),
    ("'just a string'", 502),
    ("{statusCode: '204'}", 204),
    ("{headers: {'X-A': 'b'}}", 200),
    ("{statusCode: 200, body: {}}", 502),
])
def test_proxy_answers_are_checked(server, apigw, awslambda, answer, status):
    source = {"index.js": f"exports.handler = async () => ({answer});\n"}
    api, _, _ = proxy_api(server, apigw, awslambda, source)
    got = invoke(server, api, "dev", "/x")
    assert got.status == status
    if status == 502:
        assert got.body == b'{"message": "Internal server error"}'


def test_a_failing_proxy_function_is_a_bad_gateway(server, apigw, awslambda):
    source = {"index.js": "exports.handler = async () => { throw new Error('boom'); };\n"}
    api, resource, _ = proxy_api(server, apigw, awslambda, source)
    got = invoke(server, api, "dev", "/x")
    assert (got.status, got.body) == (502, b'{"message": "Internal server error"}')
    log = apigw.test_invoke_method(restApiId=api, resourceId=resource, httpMethod="ANY",
                                   pathWithQueryString="/x")["log"]
    assert "Lambda execution failed with status 200 due to customer function error: boom." in log


def test_without_permission_the_proxy_answers_500(server, apigw, awslambda):
    api, _, _ = proxy_api(server, apigw, awslambda, {"index.js": PROXY_JS}, permit=False)
    got = invoke(server, api, "dev", "/x")
    assert (got.status, got.body) == (500, b'{"message": "Internal server error"}')


def test_selection_patterns_match_the_error_message(server, apigw, awslambda):
    source = {"index.py": (
        "def handler(event, context):\n"
        "    if event.get('fail'):\n"
        "        raise Exception('Not found: ' + event['fail'])\n"
        "    return {'ok': True}\n")}
    _, arn = new_function(awslambda, source, "python3.11", prefix="errors")
    api = apigw.create_rest_api(name=unique_name("errors-api"))["id"]
    root = root_of(apigw, api)
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE",
                     requestParameters={"method.request.querystring.fail": False})
    apigw.put_integration(
        restApiId=api, resourceId=root, httpMethod="GET", type="AWS", integrationHttpMethod="POST",
        uri=lambda_uri("us-east-1", arn),
        credentials="arn:aws:iam::000000000000:role/apigateway-invoke",
        requestTemplates={"application/json":
                          '#if($input.params("fail") != ""){"fail": "$input.params("fail")"}'
                          '#else{}#end'})
    for status in ["200", "404"]:
        apigw.put_method_response(restApiId=api, resourceId=root, httpMethod="GET",
                                  statusCode=status)
    apigw.put_integration_response(restApiId=api, resourceId=root, httpMethod="GET",
                                   statusCode="200", responseTemplates={})
    apigw.put_integration_response(
        restApiId=api, resourceId=root, httpMethod="GET", statusCode="404",
        selectionPattern="Not found: .*",
        responseTemplates={"application/json": '{"error": $input.json("$.errorMessage")}'})
    apigw.create_deployment(restApiId=api, stageName="dev")
    ok = invoke(server, api, "dev", "/")
    assert (ok.status, ok.json()) == (200, {"ok": True})
    missing = invoke(server, api, "dev", "/?fail=cat")
    assert (missing.status, missing.json()) == (404, {"error": "Not found: cat"})


def test_the_invocation_type_header_makes_the_call_asynchronous(server, apigw, awslambda, logs):
    source = {"index.js": "exports.handler = async (e) => { console.log('async got ' + e.n); "
                          "return {done: true}; };\n"}
    name, arn = new_function(awslambda, source, prefix="async")
    api = apigw.create_rest_api(name=unique_name("async-api"))["id"]
    root = root_of(apigw, api)
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="POST", authorizationType="NONE")
    apigw.put_integration(
        restApiId=api, resourceId=root, httpMethod="POST", type="AWS",
        integrationHttpMethod="POST",
        uri=lambda_uri("us-east-1", arn),
        credentials="arn:aws:iam::000000000000:role/apigateway-invoke",
        requestParameters={"integration.request.header.X-Amz-Invocation-Type": "'Event'"})
    apigw.put_method_response(restApiId=api, resourceId=root, httpMethod="POST", statusCode="200")
    apigw.put_integration_response(restApiId=api, resourceId=root, httpMethod="POST",
                                   statusCode="200", responseTemplates={})
    apigw.create_deployment(restApiId=api, stageName="dev")
    got = invoke(server, api, "dev", "/", method="POST", body='{"n": 7}')
    assert (got.status, got.body) == (200, b"")

    def logged():
        try:
            events = logs.filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]
        except logs.exceptions.ResourceNotFoundException:
            return False
        return any("async got 7" in e["message"] for e in events)

    assert wait_for(logged, timeout=30)


def test_an_integration_timeout_answers_504_and_holds_nothing(server, apigw, awslambda):
    source = {"index.js": (
        "exports.handler = async (event) => {\n"
        "  const wait = event.queryStringParameters ? 1500 : 0;\n"
        "  await new Promise((r) => setTimeout(r, wait));\n"
        "  return {statusCode: 200, body: JSON.stringify({waited: wait})};\n"
        "};\n")}
    api, _, name = proxy_api(server, apigw, awslambda, source, timeoutInMillis=300)
    awslambda.update_function_configuration(FunctionName=name, Timeout=5)
    started = time.monotonic()
    slow = invoke(server, api, "dev", "/x?slow=1")
    assert time.monotonic() - started < 1.4
    assert (slow.status, slow.body) == (504, b'{"message": "Endpoint request timed out"}')
    # The server goes on serving, and the function's environment comes back.
    fast = invoke(server, api, "dev", "/x")
    assert (fast.status, fast.json()) == (200, {"waited": 0})
