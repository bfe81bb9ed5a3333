"""API Gateway models (every API starts with Empty and Error) and request
validators."""
import pytest

from apigateway_support import error_of
from conftest import unique_name


@pytest.fixture
def api(apigw):
    api = apigw.create_rest_api(name=unique_name("api"))["id"]
    yield api
    apigw.delete_rest_api(restApiId=api)


def test_a_new_api_has_the_empty_and_error_models(apigw, api):
    models = {m["name"]: m for m in apigw.get_models(restApiId=api)["items"]}
    assert set(models) == {"Empty", "Error"}
    assert models["Empty"]["contentType"] == "application/json"
    assert models["Empty"]["description"] == "This is a default empty schema model"
    assert '"title" : "Empty Schema"' in models["Empty"]["schema"]
    assert '"message" : { "type" : "string" }' in models["Error"]["schema"]
    assert apigw.get_model(restApiId=api, modelName="Error")["id"] == models["Error"]["id"]


def test_models_are_created_and_deleted(apigw, api):
    schema = '{"type": "object", "required": ["name"]}'
    made = apigw.create_model(restApiId=api, name="Pet", contentType="application/json",
                              schema=schema, description="a pet")
    assert made["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert made["name"] == "Pet" and made["schema"] == schema and made["description"] == "a pet"
    assert error_of(lambda: apigw.create_model(restApiId=api, name="Pet",
                                               contentType="application/json")) == (
        "ConflictException", "Model name already exists for this REST API", 409)
    assert error_of(lambda: apigw.create_model(restApiId=api, name="no-dash",
                                               contentType="application/json"))[0] == (
        "BadRequestException")
    page = apigw.get_models(restApiId=api, limit=2)
    assert len(page["items"]) == 2 and "position" in page
    assert len(apigw.get_models(restApiId=api, position=page["position"])["items"]) == 1
    apigw.delete_model(restApiId=api, modelName="Pet")
    assert error_of(lambda: apigw.get_model(restApiId=api, modelName="Pet")) == (
        "NotFoundException", "Invalid model name specified: Pet", 404)


def test_request_validators(apigw, api):
    both = apigw.create_request_validator(restApiId=api, name="both", validateRequestBody=True,
                                          validateRequestParameters=True)
    assert both["ResponseMetadata"]["HTTPStatusCode"] == 201
    params = apigw.create_request_validator(restApiId=api, name="params",
                                            validateRequestParameters=True)
    assert params["validateRequestBody"] is False and params["validateRequestParameters"] is True
    got = apigw.get_request_validator(restApiId=api, requestValidatorId=both["id"])
    assert got["name"] == "both" and got["validateRequestBody"] is True
    assert {v["id"] for v in apigw.get_request_validators(restApiId=api)["items"]} == {
        both["id"], params["id"]}
    apigw.delete_request_validator(restApiId=api, requestValidatorId=both["id"])
    assert error_of(lambda: apigw.get_request_validator(
        restApiId=api, requestValidatorId=both["id"])) == (
        "NotFoundException", "Invalid Request Validator identifier specified", 404)


def test_models_validators_and_deployments_take_patches(apigw, api):
    apigw.create_model(restApiId=api, name="Pet", contentType="application/json", schema="{}")
    model = apigw.update_model(restApiId=api, modelName="Pet", patchOperations=[
        {"op": "replace", "path": "/schema", "value": '{"type": "object"}'},
        {"op": "replace", "path": "/description", "value": "a pet"}])
    assert model["schema"] == '{"type": "object"}' and model["description"] == "a pet"
    assert apigw.get_model(restApiId=api, modelName="Pet")["description"] == "a pet"
    assert error_of(lambda: apigw.update_model(restApiId=api, modelName="Pet", patchOperations=[
        {"op": "replace", "path": "/name", "value": "Cat"}])) == (
        "BadRequestException", "Invalid patch path /name", 400)

    validator = apigw.create_request_validator(restApiId=api, name="v")["id"]
    updated = apigw.update_request_validator(
        restApiId=api, requestValidatorId=validator, patchOperations=[
            {"op": "replace", "path": "/validateRequestBody", "value": "true"},
            {"op": "replace", "path": "/name", "value": "body"}])
    assert updated["validateRequestBody"] is True and updated["name"] == "body"

    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    deployment = apigw.create_deployment(restApiId=api, description="first")["id"]
    assert apigw.update_deployment(restApiId=api, deploymentId=deployment, patchOperations=[
        {"op": "replace", "path": "/description", "value": "renamed"}])["description"] == "renamed"
    assert apigw.get_deployment(restApiId=api, deploymentId=deployment)[
        "description"] == "renamed"
