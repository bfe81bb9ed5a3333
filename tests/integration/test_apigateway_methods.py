"""API Gateway's methods, method responses, integrations and integration
responses, as the tutorials' CLI steps set them up, with AWS's defaults and
errors."""
import json

import pytest

from apigateway_support import error_of
from conftest import aws_cli, unique_name

LAMBDA_URI = ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
              "arn:aws:lambda:us-east-1:123456789012:function:LambdaFunctionOverHttps/invocations")


@pytest.fixture
def resource(apigw):
    """(api id, resource id) of a fresh API with one resource, /things."""
    api = apigw.create_rest_api(name=unique_name("api"))["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    things = apigw.create_resource(restApiId=api, parentId=root, pathPart="things")["id"]
    yield api, things
    apigw.delete_rest_api(restApiId=api)



def cli(server, *args):
    return json.loads(aws_cli(server, "apigateway", *args).stdout or "{}")


def test_the_tutorial_steps_answer_what_the_tutorial_shows(server, resource):
    api, res = resource
    where = ["--rest-api-id", api, "--resource-id", res, "--http-method", "POST"]
    assert cli(server, "put-method", *where, "--authorization-type", "NONE") == {
        "apiKeyRequired": False, "httpMethod": "POST", "authorizationType": "NONE"}
    assert cli(server, "put-integration", *where, "--type", "AWS",
               "--integration-http-method", "POST", "--uri", LAMBDA_URI) == {
        "type": "AWS", "httpMethod": "POST", "uri": LAMBDA_URI,
        "passthroughBehavior": "WHEN_NO_MATCH", "timeoutInMillis": 29000,
        "cacheNamespace": res, "cacheKeyParameters": []}
    assert cli(server, "put-method-response", *where, "--status-code", "200",
               "--response-models", "application/json=Empty") == {
        "statusCode": "200", "responseModels": {"application/json": "Empty"}}
    assert cli(server, "put-integration-response", *where, "--status-code", "200",
               "--response-templates", "application/json=") == {
        "statusCode": "200", "responseTemplates": {"application/json": None}}
    method = cli(server, "get-method", *where)
    assert method["methodResponses"]["200"]["responseModels"] == {"application/json": "Empty"}
    assert method["methodIntegration"]["integrationResponses"]["200"]["statusCode"] == "200"
    resources = cli(server, "get-resources", "--rest-api-id", api)["items"]
    assert next(r for r in resources if r["id"] == res)["resourceMethods"] == {"POST": {}}
    embedded = cli(server, "get-resources", "--rest-api-id", api, "--embed", "methods")["items"]
    assert next(r for r in embedded if r["id"] == res)["resourceMethods"]["POST"] == method


def test_method_settings_are_kept(apigw, resource):
    api, res = resource
    apigw.put_method(restApiId=api, resourceId=res, httpMethod="ANY",
                     authorizationType="AWS_IAM", apiKeyRequired=True, operationName="Things",
                     requestParameters={"method.request.querystring.q": True},
                     requestModels={"application/json": "Empty"})
    got = apigw.get_method(restApiId=api, resourceId=res, httpMethod="ANY")
    assert got["authorizationType"] == "AWS_IAM"
    assert got["apiKeyRequired"] is True
    assert got["operationName"] == "Things"
    assert got["requestParameters"] == {"method.request.querystring.q": True}
    assert got["requestModels"] == {"application/json": "Empty"}


def test_a_proxy_integration_with_its_own_settings(apigw, resource):
    api, res = resource
    apigw.put_method(restApiId=api, resourceId=res, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=res, httpMethod="GET", type="AWS_PROXY",
                          integrationHttpMethod="POST", uri=LAMBDA_URI,
                          passthroughBehavior="NEVER", timeoutInMillis=5000,
                          requestTemplates={"application/json": '{"a": 1}'},
                          requestParameters={"integration.request.header.x": "'y'"})
    got = apigw.get_integration(restApiId=api, resourceId=res, httpMethod="GET")
    assert got["type"] == "AWS_PROXY" and got["httpMethod"] == "POST"
    assert got["passthroughBehavior"] == "NEVER" and got["timeoutInMillis"] == 5000
    assert got["requestTemplates"] == {"application/json": '{"a": 1}'}
    assert got["requestParameters"] == {"integration.request.header.x": "'y'"}
    apigw.put_integration(restApiId=api, resourceId=res, httpMethod="GET", type="MOCK")
    assert apigw.get_integration(restApiId=api, resourceId=res, httpMethod="GET")["type"] == "MOCK"


def test_errors_answer_as_aws(apigw, resource):
    api, res = resource
    where = {"restApiId": api, "resourceId": res}
    assert error_of(lambda: apigw.get_method(**where, httpMethod="GET")) == (
        "NotFoundException", "Invalid Method identifier specified", 404)
    assert error_of(lambda: apigw.put_method(restApiId=api, resourceId="nosuchres0",
                                             httpMethod="GET", authorizationType="NONE")) == (
        "NotFoundException", "Invalid Resource identifier specified", 404)
    code, _, status = error_of(lambda: apigw.put_method(**where, httpMethod="FETCH",
                                                        authorizationType="NONE"))
    assert (code, status) == ("BadRequestException", 400)
    apigw.put_method(**where, httpMethod="GET", authorizationType="NONE")
    assert error_of(lambda: apigw.put_method(**where, httpMethod="GET",
                                             authorizationType="NONE")) == (
        "ConflictException", "Method already exists for this resource", 409)
    assert error_of(lambda: apigw.get_integration(**where, httpMethod="GET")) == (
        "NotFoundException", "No integration defined for method", 404)
    assert error_of(lambda: apigw.put_integration_response(**where, httpMethod="GET",
                                                           statusCode="200"))[0] == (
        "NotFoundException")
    assert error_of(lambda: apigw.put_integration(**where, httpMethod="GET", type="AWS",
                                                  uri=LAMBDA_URI)) == (
        "BadRequestException", "Enumeration value for HttpMethod must be non-empty", 400)
    apigw.put_method_response(**where, httpMethod="GET", statusCode="200")
    assert error_of(lambda: apigw.put_method_response(**where, httpMethod="GET",
                                                      statusCode="200"))[0] == "ConflictException"
    assert error_of(lambda: apigw.get_method_response(**where, httpMethod="GET",
                                                      statusCode="404")) == (
        "NotFoundException", "Invalid Response status code specified", 404)


def test_deletes_remove_what_they_name(apigw, resource):
    api, res = resource
    where = {"restApiId": api, "resourceId": res, "httpMethod": "POST"}
    apigw.put_method(**where, authorizationType="NONE")
    apigw.put_method_response(**where, statusCode="200")
    apigw.put_integration(**where, type="MOCK")
    apigw.put_integration_response(**where, statusCode="200", selectionPattern="")
    assert apigw.delete_integration_response(**where, statusCode="200")[
        "ResponseMetadata"]["HTTPStatusCode"] == 204
    assert "integrationResponses" not in apigw.get_integration(**where)
    apigw.delete_integration(**where)
    assert "methodIntegration" not in apigw.get_method(**where)
    apigw.delete_method_response(**where, statusCode="200")
    assert "methodResponses" not in apigw.get_method(**where)
    apigw.delete_method(**where)
    assert error_of(lambda: apigw.get_method(**where))[0] == "NotFoundException"
    assert "resourceMethods" not in apigw.get_resource(restApiId=api, resourceId=res)


def test_updates_patch_methods_integrations_and_their_responses(apigw, resource):
    api, res = resource
    where = {"restApiId": api, "resourceId": res, "httpMethod": "GET"}
    apigw.put_method(**where, authorizationType="NONE")
    apigw.put_method_response(**where, statusCode="200")
    apigw.put_integration(**where, type="AWS", integrationHttpMethod="POST", uri=LAMBDA_URI)
    apigw.put_integration_response(**where, statusCode="200")

    method = apigw.update_method(**where, patchOperations=[
        {"op": "replace", "path": "/apiKeyRequired", "value": "true"},
        {"op": "add", "path": "/requestParameters/method.request.querystring.q", "value": "true"},
        {"op": "add", "path": "/requestModels/application~1json", "value": "Empty"},
        {"op": "replace", "path": "/operationName", "value": "ListThings"}])
    assert method["apiKeyRequired"] is True
    assert method["requestParameters"] == {"method.request.querystring.q": True}
    assert method["requestModels"] == {"application/json": "Empty"}
    assert method["operationName"] == "ListThings"
    apigw.update_method(**where, patchOperations=[
        {"op": "remove", "path": "/requestParameters/method.request.querystring.q"}])
    assert "requestParameters" not in apigw.get_method(**where)

    integration = apigw.update_integration(**where, patchOperations=[
        {"op": "replace", "path": "/timeoutInMillis", "value": "5000"},
        {"op": "add", "path": "/requestTemplates/application~1json", "value": "{}"},
        {"op": "replace", "path": "/passthroughBehavior", "value": "NEVER"}])
    assert integration["timeoutInMillis"] == 5000
    assert integration["requestTemplates"] == {"application/json": "{}"}
    assert integration["passthroughBehavior"] == "NEVER"
    assert integration["integrationResponses"]["200"]["statusCode"] == "200"

    response = apigw.update_integration_response(**where, statusCode="200", patchOperations=[
        {"op": "replace", "path": "/selectionPattern", "value": ".*error.*"},
        {"op": "add", "path": "/responseTemplates/application~1json", "value": "$input.body"}])
    assert response["selectionPattern"] == ".*error.*"
    assert response["responseTemplates"] == {"application/json": "$input.body"}
    mr = apigw.update_method_response(**where, statusCode="200", patchOperations=[
        {"op": "add", "path": "/responseModels/application~1json", "value": "Empty"}])
    assert mr["responseModels"] == {"application/json": "Empty"}

    # A bad operation among good ones changes nothing.
    assert error_of(lambda: apigw.update_method(**where, patchOperations=[
        {"op": "replace", "path": "/operationName", "value": "Other"},
        {"op": "replace", "path": "/nonsense", "value": "x"}])) == (
        "BadRequestException", "Invalid patch path /nonsense", 400)
    assert apigw.get_method(**where)["operationName"] == "ListThings"
    assert error_of(lambda: apigw.update_integration(**where, patchOperations=[
        {"op": "replace", "path": "/timeoutInMillis", "value": "soon"}]))[0] == (
        "BadRequestException")
    assert error_of(lambda: apigw.update_method_response(**where, statusCode="500",
                                                         patchOperations=[])) == (
        "NotFoundException", "Invalid Response status code specified", 404)
