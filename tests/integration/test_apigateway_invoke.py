"""API Gateway's data plane with MOCK integrations: the three invoke URL
forms, routing over the deployment, AWS's answers for what does not route,
templates and passthrough behaviours."""
import json

import pytest

from apigateway_support import invoke, mock_method, root_of
from conftest import unique_name


@pytest.fixture
def api(apigw):
    api = apigw.create_rest_api(name=unique_name("data"))["id"]
    yield api
    apigw.delete_rest_api(restApiId=api)


def add_resource(apigw, api, parent, part):
    return apigw.create_resource(restApiId=api, parentId=parent, pathPart=part)["id"]


@pytest.mark.parametrize("form", ["host", "user_request", "aws"])
def test_each_invoke_url_form_reaches_the_stage(server, apigw, api, form):
    pets = add_resource(apigw, api, root_of(apigw, api), "pets")
    mock_method(apigw, api, pets, response_template='{"pets": "$context.stage"}')
    apigw.create_deployment(restApiId=api, stageName="prod")
    got = invoke(server, api, "prod", "/pets", form=form)
    assert got.status == 200
    assert got.json() == {"pets": "prod"}
    assert got.header("Content-Type") == "application/json"
    assert got.header("x-amzn-RequestId")
    assert got.header("x-amz-apigw-id")
    assert got.header("X-Amzn-Trace-Id").startswith("Root=1-")


def test_what_does_not_route_answers_missing_authentication_token(server, apigw, api):
    pets = add_resource(apigw, api, root_of(apigw, api), "pets")
    mock_method(apigw, api, pets)
    apigw.create_deployment(restApiId=api, stageName="prod")
    for method, path in [("GET", "/nothing"), ("POST", "/pets"), ("GET", "/")]:
        got = invoke(server, api, "prod", path, method=method)
        assert got.status == 403
        assert got.body == b'{"message":"Missing Authentication Token"}'
        assert got.header("x-amzn-ErrorType") == "MissingAuthenticationTokenException"
        assert got.header("X-Amzn-Trace-Id") is None


def test_an_unknown_stage_or_api_is_forbidden(server, apigw, api):
    mock_method(apigw, api, root_of(apigw, api))
    apigw.create_deployment(restApiId=api, stageName="prod")
    for target_api, stage in [(api, "nope"), ("abcdefghij", "prod")]:
        got = invoke(server, target_api, stage, "/")
        assert got.status == 403
        assert got.body == b'{"message":"Forbidden"}'
        assert got.header("x-amzn-ErrorType") == "ForbiddenException"


def test_a_disabled_default_endpoint_is_forbidden(server, apigw, api):
    mock_method(apigw, api, root_of(apigw, api))
    apigw.create_deployment(restApiId=api, stageName="prod")
    assert invoke(server, api, "prod", "/").status == 200
    apigw.update_rest_api(restApiId=api, patchOperations=[
        {"op": "replace", "path": "/disableExecuteApiEndpoint", "value": "true"}])
    assert invoke(server, api, "prod", "/").status == 200  # until the next deployment
    apigw.create_deployment(restApiId=api, stageName="prod")
    got = invoke(server, api, "prod", "/")
    assert (got.status, got.body) == (403, b'{"message":"Forbidden"}')


def test_static_parts_win_over_parameters_and_greedy_paths(server, apigw, api):
    root = root_of(apigw, api)
    items = add_resource(apigw, api, root, "items")
    special = add_resource(apigw, api, items, "special")
    item = add_resource(apigw, api, items, "{id}")
    rest = add_resource(apigw, api, root, "{proxy+}")
    for resource, name in [(special, "special"), (item, "item"), (rest, "proxy")]:
        mock_method(apigw, api, resource, method="ANY",
                    response_template='{"route": "' + name + '", "path": "$context.resourcePath",'
                    ' "id": "$input.params(\'id\')", "proxy": "$input.params(\'proxy\')"}')
    apigw.create_deployment(restApiId=api, stageName="v1")
    assert invoke(server, api, "v1", "/items/special").json()["route"] == "special"
    got = invoke(server, api, "v1", "/items/42", method="DELETE").json()
    assert got == {"route": "item", "path": "/items/{id}", "id": "42", "proxy": ""}
    got = invoke(server, api, "v1", "/a/b/c").json()
    assert got["route"] == "proxy" and got["proxy"] == "a/b/c"
    # The greedy part does not take the root.
    assert invoke(server, api, "v1", "/").status == 403


def test_changes_are_invisible_until_the_next_deployment(server, apigw, api):
    root = root_of(apigw, api)
    mock_method(apigw, api, root, response_template='{"version": 1}')
    apigw.create_deployment(restApiId=api, stageName="prod")
    apigw.put_integration_response(restApiId=api, resourceId=root, httpMethod="GET",
                                   statusCode="200",
                                   responseTemplates={"application/json": '{"version": 2}'})
    new = add_resource(apigw, api, root, "new")
    mock_method(apigw, api, new)
    assert invoke(server, api, "prod", "/").json() == {"version": 1}
    assert invoke(server, api, "prod", "/new").status == 403
    apigw.create_deployment(restApiId=api, stageName="prod")
    assert invoke(server, api, "prod", "/").json() == {"version": 2}
    assert invoke(server, api, "prod", "/new").status == 200


def test_the_mock_status_selects_the_integration_response(server, apigw, api):
    root = root_of(apigw, api)
    template = ('#if($input.params("fail") == "yes"){"statusCode": 404}'
                '#else{"statusCode": 200}#end')
    mock_method(apigw, api, root, request_template=template, response_template='{"ok": true}')
    apigw.put_method_response(restApiId=api, resourceId=root, httpMethod="GET",
                              statusCode="404")
    apigw.put_integration_response(
        restApiId=api, resourceId=root, httpMethod="GET", statusCode="404",
        selectionPattern="404", responseTemplates={"application/json": '{"ok": false}'},
        responseParameters={"method.response.header.X-Reason": "'not found'"})
    apigw.create_deployment(restApiId=api, stageName="prod")
    ok = invoke(server, api, "prod", "/")
    assert (ok.status, ok.json()) == (200, {"ok": True})
    missing = invoke(server, api, "prod", "/?fail=yes")
    assert (missing.status, missing.json()) == (404, {"ok": False})
    assert missing.header("X-Reason") == "not found"


def test_no_integration_response_is_a_configuration_error(server, apigw, api):
    root = root_of(apigw, api)
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK",
                          requestTemplates={"application/json": '{"statusCode": 200}'})
    apigw.create_deployment(restApiId=api, stageName="prod")
    got = invoke(server, api, "prod", "/")
    assert got.status == 500
    assert got.body == b'{"message": "Internal server error"}'
    assert got.header("x-amzn-ErrorType") == "InternalServerErrorException"
    out = apigw.test_invoke_method(restApiId=api, resourceId=root, httpMethod="GET")
    assert out["status"] == 500
    assert ("Execution failed due to configuration error: No match for output mapping and no "
            "default output mapping configured. Endpoint Response Status Code: 200") in out["log"]


@pytest.mark.parametrize("behaviour,content_type,status", [
    ("NEVER", "text/plain", 415),
    ("NEVER", "application/json", 200),
    ("WHEN_NO_TEMPLATES", "text/plain", 415),
    ("WHEN_NO_MATCH", "text/plain", 200),
])
def test_passthrough_behaviours(server, apigw, api, behaviour, content_type, status):
    root = root_of(apigw, api)
    mock_method(apigw, api, root, method="POST", response_template='{"done": true}',
                passthroughBehavior=behaviour)
    apigw.create_deployment(restApiId=api, stageName="prod")
    got = invoke(server, api, "prod", "/", method="POST", body='{"statusCode": 200}',
                 headers={"Content-Type": content_type})
    assert got.status == status
    if status == 415:
        assert got.body == b'{"message":"Unsupported Media Type"}'


def test_test_invoke_method_runs_the_api_as_it_is_now(apigw, api):
    root = root_of(apigw, api)
    pets = add_resource(apigw, api, root, "pets")
    pet = add_resource(apigw, api, pets, "{petId}")
    mock_method(apigw, api, pet,
                response_template='{"pet": "$input.params(\'petId\')", '
                '"stage": "$context.stage", "q": "$input.params(\'q\')"}')
    out = apigw.test_invoke_method(restApiId=api, resourceId=pet, httpMethod="GET",
                                   pathWithQueryString="/pets/7?q=x",
                                   headers={"Accept": "application/json"})
    assert out["status"] == 200
    assert json.loads(out["body"]) == {"pet": "7", "stage": "test-invoke-stage", "q": "x"}
    assert out["headers"] == {"Content-Type": "application/json"}
    assert out["multiValueHeaders"] == {"Content-Type": ["application/json"]}
    assert isinstance(out["latency"], int)
    lines = out["log"].split("\n")
    assert lines[0].startswith("Execution log for request ")
    assert lines[-1] == ""
    messages = [line.split(" : ", 1)[1] for line in lines[1:-1]]
    assert messages[0].startswith("Starting execution for request: ")
    assert messages[1] == "HTTP Method: GET, Resource Path: /pets/7"
    assert messages[2] == "Method request path: {petId=7}"
    assert messages[3] == "Method request query string: {q=x}"
    assert messages[4] == "Method request headers: {Accept=application/json}"
    assert messages[-2:] == ["Successfully completed execution", "Method completed with status: 200"]
    assert all(" UTC " in line for line in lines[1:-1])


def test_a_deployed_api_serves_after_a_restart(private_server):
    apigw = private_server.client("apigateway")
    api = apigw.create_rest_api(name=unique_name("durable"))["id"]
    mock_method(apigw, api, root_of(apigw, api), response_template='{"alive": true}')
    apigw.create_deployment(restApiId=api, stageName="prod")
    private_server.restart()
    got = invoke(private_server, api, "prod", "/")
    assert (got.status, got.json()) == (200, {"alive": True})


def test_bodies_over_ten_megabytes_are_refused(server, apigw, api):
    mock_method(apigw, api, root_of(apigw, api), method="POST")
    apigw.create_deployment(restApiId=api, stageName="prod")
    got = invoke(server, api, "prod", "/", method="POST", body=b"x" * (10 * 1024 * 1024 + 1))
    assert got.status == 413
    assert got.body == b"HTTP content length exceeded 10485760 bytes."
