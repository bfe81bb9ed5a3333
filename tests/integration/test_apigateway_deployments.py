"""API Gateway deployments and stages: a deployment is a snapshot of the
API as it was; stages point at one."""
import json
import re

import pytest

from apigateway_support import error_of
from conftest import aws_cli, unique_name


@pytest.fixture
def api(apigw):
    """An API whose root has a MOCK GET method."""
    api = apigw.create_rest_api(name=unique_name("api"))["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    yield api
    apigw.delete_rest_api(restApiId=api)


def test_create_deployment_with_a_stage_as_the_tutorial_does(server, api):
    out = json.loads(aws_cli(server, "apigateway", "create-deployment", "--rest-api-id", api,
                             "--stage-name", "prod").stdout)
    assert set(out) == {"id", "createdDate"}
    assert re.fullmatch(r"[a-z0-9]{6}", out["id"])
    stage = json.loads(aws_cli(server, "apigateway", "get-stage", "--rest-api-id", api,
                               "--stage-name", "prod").stdout)
    assert stage["deploymentId"] == out["id"]
    assert stage["stageName"] == "prod"
    assert stage["cacheClusterEnabled"] is False
    assert stage["cacheClusterStatus"] == "NOT_AVAILABLE"
    assert stage["tracingEnabled"] is False
    assert stage["methodSettings"] == {}


def test_an_api_without_methods_cannot_be_deployed(apigw):
    empty = apigw.create_rest_api(name=unique_name("empty"))["id"]
    try:
        assert error_of(lambda: apigw.create_deployment(restApiId=empty, stageName="dev")) == (
            "BadRequestException", "The REST API doesn't contain any methods", 400)
    finally:
        apigw.delete_rest_api(restApiId=empty)


def test_redeploying_moves_the_stage_and_keeps_the_old_deployment(apigw, api):
    first = apigw.create_deployment(restApiId=api, stageName="dev", description="one",
                                    stageDescription="the dev stage",
                                    variables={"table": "Things"})
    assert first["ResponseMetadata"]["HTTPStatusCode"] == 201
    second = apigw.create_deployment(restApiId=api, stageName="dev")
    stage = apigw.get_stage(restApiId=api, stageName="dev")
    assert stage["deploymentId"] == second["id"]
    assert stage["description"] == "the dev stage"
    assert stage["variables"] == {"table": "Things"}
    assert apigw.get_deployment(restApiId=api, deploymentId=first["id"])["description"] == "one"
    ids = {d["id"] for d in apigw.get_deployments(restApiId=api)["items"]}
    assert ids == {first["id"], second["id"]}
    # The first no longer serves a stage: it may go; the second may not.
    assert apigw.delete_deployment(restApiId=api, deploymentId=first["id"])[
        "ResponseMetadata"]["HTTPStatusCode"] == 202
    assert error_of(lambda: apigw.delete_deployment(restApiId=api, deploymentId=second["id"])) == (
        "BadRequestException", "Active stages pointing to this deployment must be moved or deleted",
        400)
    assert error_of(lambda: apigw.get_deployment(restApiId=api, deploymentId=first["id"])) == (
        "NotFoundException", "Invalid Deployment identifier specified", 404)


def test_stages_of_their_own(apigw, api):
    deployment = apigw.create_deployment(restApiId=api)["id"]
    assert apigw.get_stages(restApiId=api)["item"] == []
    made = apigw.create_stage(restApiId=api, stageName="beta", deploymentId=deployment,
                              description="b", variables={"v": "1"})
    assert made["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert made["description"] == "b" and made["variables"] == {"v": "1"}
    assert error_of(lambda: apigw.create_stage(restApiId=api, stageName="beta",
                                               deploymentId=deployment)) == (
        "ConflictException", "Stage already exists", 409)
    assert error_of(lambda: apigw.create_stage(restApiId=api, stageName="gamma",
                                               deploymentId="nosuch")) == (
        "NotFoundException", "Invalid Deployment identifier specified", 404)
    apigw.create_stage(restApiId=api, stageName="alpha", deploymentId=deployment)
    assert sorted(s["stageName"] for s in apigw.get_stages(restApiId=api)["item"]) == [
        "alpha", "beta"]
    assert [s["stageName"] for s in apigw.get_stages(
        restApiId=api, deploymentId="other0")["item"]] == []
    apigw.delete_stage(restApiId=api, stageName="beta")
    assert error_of(lambda: apigw.get_stage(restApiId=api, stageName="beta")) == (
        "NotFoundException", "Invalid Stage identifier specified", 404)
    assert error_of(lambda: apigw.delete_stage(restApiId=api, stageName="beta"))[0] == (
        "NotFoundException")


def test_deployments_page(apigw, api):
    ids = {apigw.create_deployment(restApiId=api)["id"] for _ in range(5)}
    seen = set()
    for page in apigw.get_paginator("get_deployments").paginate(
            restApiId=api, PaginationConfig={"PageSize": 2}):
        seen |= {d["id"] for d in page["items"]}
    assert seen == ids


def test_update_stage_applies_every_operation_or_none(apigw, api):
    apigw.create_deployment(restApiId=api, stageName="dev",
                            variables={"table": "Old", "drop": "me"})
    second = apigw.create_deployment(restApiId=api)["id"]
    updated = apigw.update_stage(restApiId=api, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/variables/table", "value": "New"},
        {"op": "add", "path": "/variables/path~1key", "value": "v"},
        {"op": "remove", "path": "/variables/drop"},
        {"op": "replace", "path": "/description", "value": "the dev stage"},
        {"op": "replace", "path": "/deploymentId", "value": second},
        {"op": "replace", "path": "/tracingEnabled", "value": "true"}])
    assert updated["variables"] == {"table": "New", "path/key": "v"}
    assert updated["description"] == "the dev stage"
    assert updated["deploymentId"] == second
    assert updated["tracingEnabled"] is True
    stored = apigw.get_stage(restApiId=api, stageName="dev")
    updated.pop("ResponseMetadata")
    stored.pop("ResponseMetadata")
    assert stored == updated
    # A bad operation among good ones: nothing changes.
    assert error_of(lambda: apigw.update_stage(restApiId=api, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/description", "value": "changed"},
        {"op": "replace", "path": "/nonsense", "value": "x"}])) == (
        "BadRequestException", "Invalid patch path /nonsense", 400)
    assert error_of(lambda: apigw.update_stage(restApiId=api, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/deploymentId", "value": "nosuch"}]))[0] == "NotFoundException"
    assert apigw.get_stage(restApiId=api, stageName="dev")["description"] == "the dev stage"
    # Settings Stratus does not apply are refused honestly.
    code, _, status = error_of(lambda: apigw.update_stage(
        restApiId=api, stageName="dev",
        patchOperations=[{"op": "replace", "path": "/cacheClusterEnabled", "value": "true"}]))
    assert (code, status) == ("NotImplementedException", 501)
    assert error_of(lambda: apigw.update_stage(restApiId=api, stageName="nosuch",
                                               patchOperations=[]))[0] == "NotFoundException"


def test_method_settings_and_access_logs_by_patch_path(apigw, api):
    apigw.create_deployment(restApiId=api, stageName="dev")
    stage = apigw.update_stage(restApiId=api, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"},
        {"op": "replace", "path": "/~1pets/GET/throttling/rateLimit", "value": "12.5"},
        {"op": "replace", "path": "/~1pets/GET/metrics/enabled", "value": "true"},
        {"op": "replace", "path": "/accessLogSettings/format", "value": "$context.requestId"},
        {"op": "replace", "path": "/accessLogSettings/destinationArn",
         "value": "arn:aws:logs:us-east-1:000000000000:log-group:access"}])
    assert stage["methodSettings"]["*/*"]["loggingLevel"] == "ERROR"
    assert stage["methodSettings"]["*/*"]["dataTraceEnabled"] is False
    pets = stage["methodSettings"]["~1pets/GET"]
    assert pets["throttlingRateLimit"] == 12.5
    assert pets["throttlingBurstLimit"] == 5000
    assert pets["metricsEnabled"] is True
    assert pets["loggingLevel"] == "OFF"
    assert stage["accessLogSettings"] == {
        "format": "$context.requestId",
        "destinationArn": "arn:aws:logs:us-east-1:000000000000:log-group:access"}
    assert error_of(lambda: apigw.update_stage(restApiId=api, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/*/*/logging/nothing", "value": "x"}])) == (
        "BadRequestException", "Invalid patch path /*/*/logging/nothing", 400)
    for path, value in [("/*/*/logging/loglevel", "LOUD"), ("/*/*/metrics/enabled", "maybe"),
                        ("/*/*/throttling/burstLimit", "many")]:
        code, _, status = error_of(lambda: apigw.update_stage(
            restApiId=api, stageName="dev",
            patchOperations=[{"op": "replace", "path": path, "value": value}]))
        assert (code, status) == ("BadRequestException", 400)
    stage = apigw.update_stage(restApiId=api, stageName="dev", patchOperations=[
        {"op": "remove", "path": "/~1pets/GET"}, {"op": "remove", "path": "/accessLogSettings"}])
    assert list(stage["methodSettings"]) == ["*/*"]
    assert "accessLogSettings" not in stage


def test_tags_of_apis_and_stages_by_arn(apigw, api):
    apigw.create_deployment(restApiId=api, stageName="prod")
    api_arn = f"arn:aws:apigateway:us-east-1::/restapis/{api}"
    stage_arn = f"{api_arn}/stages/prod"
    apigw.tag_resource(resourceArn=api_arn, tags={"team": "a", "cost": "1"})
    apigw.tag_resource(resourceArn=stage_arn, tags={"env": "prod"})
    assert apigw.get_tags(resourceArn=api_arn)["tags"] == {"team": "a", "cost": "1"}
    assert apigw.get_rest_api(restApiId=api)["tags"] == {"team": "a", "cost": "1"}
    assert apigw.get_stage(restApiId=api, stageName="prod")["tags"] == {"env": "prod"}
    apigw.untag_resource(resourceArn=api_arn, tagKeys=["cost"])
    assert apigw.get_tags(resourceArn=api_arn)["tags"] == {"team": "a"}
    apigw.untag_resource(resourceArn=stage_arn, tagKeys=["env"])
    assert apigw.get_tags(resourceArn=stage_arn)["tags"] == {}
    assert error_of(lambda: apigw.get_tags(
        resourceArn="arn:aws:apigateway:us-east-1::/restapis/nosuchapi0"))[0] == (
        "NotFoundException")
    assert error_of(lambda: apigw.get_tags(resourceArn=f"{api_arn}/stages/none"))[0] == (
        "NotFoundException")
    assert error_of(lambda: apigw.get_tags(resourceArn="arn:aws:s3:::bucket"))[0] == (
        "BadRequestException")
