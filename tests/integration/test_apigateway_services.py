"""API Gateway integrations other than Lambda and MOCK: DynamoDB by action
(the classic API Gateway → DynamoDB pattern), HTTP and HTTP_PROXY to a real
backend; method request validation and parameter mapping."""
import http.server
import json
import threading

import pytest

from apigateway_support import invoke, root_of
from conftest import unique_name

CREDENTIALS = "arn:aws:iam::000000000000:role/apigateway-dynamodb"


@pytest.fixture
def api(apigw):
    api = apigw.create_rest_api(name=unique_name("svc"))["id"]
    yield api
    apigw.delete_rest_api(restApiId=api)


def dynamodb_method(apigw, api, resource, method, action, template, response_template=None):
    apigw.put_method(restApiId=api, resourceId=resource, httpMethod=method,
                     authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=resource, httpMethod=method, type="AWS",
                          integrationHttpMethod="POST", credentials=CREDENTIALS,
                          uri=f"arn:aws:apigateway:us-east-1:dynamodb:action/{action}",
                          requestTemplates={"application/json": template})
    for status, pattern in [("200", None), ("400", "4\\d{2}")]:
        apigw.put_method_response(restApiId=api, resourceId=resource, httpMethod=method,
                                  statusCode=status)
        extra = {"selectionPattern": pattern} if pattern else {}
        templates = ({"application/json": response_template}
                     if response_template and status == "200" else {})
        apigw.put_integration_response(restApiId=api, resourceId=resource, httpMethod=method,
                                       statusCode=status, responseTemplates=templates, **extra)


@pytest.fixture
def items_table(dynamodb):
    name = unique_name("items")
    dynamodb.create_table(TableName=name,
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          BillingMode="PAY_PER_REQUEST")
    yield name
    dynamodb.delete_table(TableName=name)


def test_dynamodb_actions_through_mapping_templates(server, apigw, api, items_table):
    table = items_table
    root = root_of(apigw, api)
    items = apigw.create_resource(restApiId=api, parentId=root, pathPart="items")["id"]
    item = apigw.create_resource(restApiId=api, parentId=items, pathPart="{id}")["id"]
    dynamodb_method(apigw, api, items, "POST", "PutItem",
                    '{"TableName": "' + table + '", "Item": {"pk": {"S": $input.json(\'$.id\')},'
                    ' "name": {"S": $input.json(\'$.name\')}}}')
    dynamodb_method(apigw, api, item, "GET", "GetItem",
                    '{"TableName": "' + table + '", "Key": {"pk": {"S": "$input.params(\'id\')"}}}',
                    response_template='#set($item = $input.path("$.Item"))'
                    '{"id": "$item.pk.S", "name": "$item.name.S"}')
    dynamodb_method(apigw, api, items, "GET", "Scan", '{"TableName": "' + table + '"}',
                    response_template='{"count": $input.path("$.Count")}')
    dynamodb_method(apigw, api, item, "DELETE", "DeleteItem",
                    '{"TableName": "' + table + '", "Key": {"pk": {"S": "$input.params(\'id\')"}}}')
    apigw.create_deployment(restApiId=api, stageName="prod")

    put = invoke(server, api, "prod", "/items", method="POST",
                 body='{"id": "a1", "name": "Ada"}', headers={"Content-Type": "application/json"})
    assert (put.status, put.json()) == (200, {})
    got = invoke(server, api, "prod", "/items/a1")
    assert (got.status, got.json()) == (200, {"id": "a1", "name": "Ada"})
    assert invoke(server, api, "prod", "/items").json() == {"count": 1}
    assert invoke(server, api, "prod", "/items/a1", method="DELETE").status == 200
    assert invoke(server, api, "prod", "/items").json() == {"count": 0}


def test_a_dynamodb_error_selects_its_status(server, apigw, api):
    root = root_of(apigw, api)
    dynamodb_method(apigw, api, root, "GET", "GetItem",
                    '{"TableName": "no-such-table", "Key": {"pk": {"S": "x"}}}')
    apigw.create_deployment(restApiId=api, stageName="prod")
    got = invoke(server, api, "prod", "/")
    assert got.status == 400
    assert got.json()["__type"] == "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"


class Backend(http.server.BaseHTTPRequestHandler):
    """Answers every request with what it received."""

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.dumps({"method": self.command, "path": self.path,
                           "headers": dict(self.headers.items()),
                           "body": self.rfile.read(length).decode("latin-1")}).encode()
        status = 404 if "missing" in self.path else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Backend", "yes")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def backend():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Backend)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_http_proxy_passes_the_request_and_the_answer_on(server, apigw, api, backend):
    proxy = apigw.create_resource(restApiId=api, parentId=root_of(apigw, api),
                                  pathPart="{proxy+}")["id"]
    apigw.put_method(restApiId=api, resourceId=proxy, httpMethod="ANY", authorizationType="NONE",
                     requestParameters={"method.request.path.proxy": True})
    apigw.put_integration(restApiId=api, resourceId=proxy, httpMethod="ANY", type="HTTP_PROXY",
                          integrationHttpMethod="ANY", uri=backend + "/base/{proxy}",
                          requestParameters={"integration.request.path.proxy":
                                             "method.request.path.proxy"})
    apigw.create_deployment(restApiId=api, stageName="prod")
    got = invoke(server, api, "prod", "/a/b?q=1", method="PUT", body="hello",
                 headers={"X-Client": "c"})
    assert got.status == 200
    assert got.header("X-Backend") == "yes"
    assert got.header("x-amzn-Remapped-Content-Length")
    seen = got.json()
    assert seen["method"] == "PUT"
    assert seen["path"] == "/base/a/b?q=1"
    assert seen["headers"]["X-Client"] == "c"
    assert seen["body"] == "hello"
    assert invoke(server, api, "prod", "/missing").status == 404


def test_http_maps_parameters_and_selects_by_status(server, apigw, api, backend):
    root = root_of(apigw, api)
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE",
                     requestParameters={"method.request.querystring.who": True,
                                        "method.request.header.X-Trace": False})
    apigw.put_integration(
        restApiId=api, resourceId=root, httpMethod="GET", type="HTTP",
        integrationHttpMethod="POST", uri=backend + "/hello",
        requestParameters={"integration.request.querystring.name": "method.request.querystring.who",
                           "integration.request.header.X-Stage": "stageVariables.label",
                           "integration.request.header.X-Fixed": "'fixed'"},
        requestTemplates={"application/json": '{"greeting": "hi $input.params(\'who\')"}'})
    apigw.put_method_response(restApiId=api, resourceId=root, httpMethod="GET", statusCode="200")
    apigw.put_integration_response(
        restApiId=api, resourceId=root, httpMethod="GET", statusCode="200",
        responseParameters={"method.response.header.X-From": "integration.response.header.X-Backend"},
        responseTemplates={"application/json":
                           '{"path": $input.json("$.path"), "sent": $input.json("$.body")}'})
    apigw.create_deployment(restApiId=api, stageName="prod", variables={"label": "blue"})
    got = invoke(server, api, "prod", "/?who=ada")
    assert got.status == 200
    assert got.header("X-From") == "yes"
    assert got.json() == {"path": "/hello?name=ada", "sent": '{"greeting": "hi ada"}'}


def test_an_unreachable_backend_is_an_internal_error(server, apigw, api):
    root = root_of(apigw, api)
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="HTTP_PROXY",
                          integrationHttpMethod="GET", uri="http://127.0.0.1:9/nothing")
    apigw.create_deployment(restApiId=api, stageName="prod")
    got = invoke(server, api, "prod", "/")
    assert (got.status, got.body) == (500, b'{"message": "Internal server error"}')


@pytest.fixture
def validated(apigw, api):
    """POST /things validated against a model, with required parameters."""
    root = root_of(apigw, api)
    apigw.create_model(restApiId=api, name="Thing", contentType="application/json",
                       schema=json.dumps({
                           "$schema": "http://json-schema.org/draft-04/schema#",
                           "type": "object", "required": ["name", "size"],
                           "properties": {"name": {"type": "string", "minLength": 1},
                                          "size": {"type": "integer", "minimum": 0},
                                          "parts": {"$ref": f"https://apigateway.amazonaws.com/restapis/{api}/models/Parts"}},
                       }))
    apigw.create_model(restApiId=api, name="Parts", contentType="application/json",
                       schema=json.dumps({"type": "array", "items": {"type": "string"},
                                          "maxItems": 2}))
    both = apigw.create_request_validator(restApiId=api, name="all", validateRequestBody=True,
                                          validateRequestParameters=True)["id"]
    things = apigw.create_resource(restApiId=api, parentId=root, pathPart="things")["id"]
    apigw.put_method(restApiId=api, resourceId=things, httpMethod="POST",
                     authorizationType="NONE", requestValidatorId=both,
                     requestModels={"application/json": "Thing"},
                     requestParameters={"method.request.querystring.tag": True,
                                        "method.request.header.X-Owner": True})
    apigw.put_integration(restApiId=api, resourceId=things, httpMethod="POST", type="MOCK",
                          requestTemplates={"application/json": '{"statusCode": 200}'})
    apigw.put_method_response(restApiId=api, resourceId=things, httpMethod="POST",
                              statusCode="200")
    apigw.put_integration_response(restApiId=api, resourceId=things, httpMethod="POST",
                                   statusCode="200",
                                   responseTemplates={"application/json": '{"valid": true}'})
    apigw.create_deployment(restApiId=api, stageName="prod")
    return api


@pytest.mark.parametrize("path,headers,body,status,message", [
    ("/things?tag=a", {"X-Owner": "me"}, {"name": "x", "size": 1}, 200, None),
    ("/things", {}, {"name": "x", "size": 1}, 400,
     "Missing required request parameters: [X-Owner, tag]"),
    ("/things?tag=a", {"X-Owner": "me"}, {"name": "x"}, 400, "Invalid request body"),
    ("/things?tag=a", {"X-Owner": "me"}, {"name": "x", "size": -1}, 400, "Invalid request body"),
    ("/things?tag=a", {"X-Owner": "me"}, {"name": "x", "size": 1, "parts": ["a", "b", "c"]}, 400,
     "Invalid request body"),
    ("/things?tag=a", {"X-Owner": "me"}, "not json", 400, "Invalid request body"),
])
def test_method_request_validation(server, validated, path, headers, body, status, message):
    text = body if isinstance(body, str) else json.dumps(body)
    got = invoke(server, validated, "prod", path, method="POST", body=text,
                 headers={"Content-Type": "application/json", **headers})
    assert got.status == status
    if message:
        assert got.json() == {"message": message}
        assert got.header("x-amzn-ErrorType") == "BadRequestException"


@pytest.mark.parametrize("handling,content_type,sent,received", [
    ("CONVERT_TO_TEXT", "image/png", b"\x89PNG", "iVBORw=="),
    ("CONVERT_TO_BINARY", "text/plain", b"aGVsbG8=", "hello"),
    (None, "image/png", b"PNG!", "PNG!"),
])
def test_content_handling_converts_the_integration_body(server, apigw, backend, handling,
                                                        content_type, sent, received):
    api = apigw.create_rest_api(name=unique_name("binary"), binaryMediaTypes=["image/png"])["id"]
    try:
        root = root_of(apigw, api)
        apigw.put_method(restApiId=api, resourceId=root, httpMethod="POST",
                         authorizationType="NONE")
        extra = {"contentHandling": handling} if handling else {}
        apigw.put_integration(restApiId=api, resourceId=root, httpMethod="POST", type="HTTP",
                              integrationHttpMethod="POST", uri=backend + "/upload", **extra)
        apigw.put_method_response(restApiId=api, resourceId=root, httpMethod="POST",
                                  statusCode="200")
        apigw.put_integration_response(restApiId=api, resourceId=root, httpMethod="POST",
                                       statusCode="200", responseTemplates={})
        apigw.create_deployment(restApiId=api, stageName="prod")
        got = invoke(server, api, "prod", "/", method="POST", body=sent,
                     headers={"Content-Type": content_type})
        assert got.status == 200
        assert got.json()["body"] == received
    finally:
        apigw.delete_rest_api(restApiId=api)
