"""API Gateway's control plane: REST APIs and their resource trees, with
AWS's defaults, identifiers, paging, conflicts and errors."""
import re
import signal

import boto3
import pytest
from botocore.exceptions import ClientError

from apigateway_support import error_of
from conftest import unique_name


@pytest.fixture
def api(apigw):
    created = apigw.create_rest_api(name=unique_name("api"))
    yield created
    try:
        apigw.delete_rest_api(restApiId=created["id"])
    except ClientError:
        pass



def root_of(apigw, api_id):
    return next(r for r in apigw.get_resources(restApiId=api_id)["items"] if r["path"] == "/")


def test_a_new_api_has_aws_defaults_and_a_root_resource(apigw):
    created = apigw.create_rest_api(name="Seed API", description="from a tutorial",
                                    tags={"team": "a"})
    try:
        assert re.fullmatch(r"[a-z0-9]{10}", created["id"])
        assert created["name"] == "Seed API"
        assert created["description"] == "from a tutorial"
        assert created["apiKeySource"] == "HEADER"
        assert created["endpointConfiguration"] == {"types": ["EDGE"]}
        assert created["disableExecuteApiEndpoint"] is False
        assert created["tags"] == {"team": "a"}
        assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
        got = apigw.get_rest_api(restApiId=created["id"])
        assert got["createdDate"] == created["createdDate"]
        items = apigw.get_resources(restApiId=created["id"])["items"]
        assert len(items) == 1
        assert items[0]["path"] == "/" and "parentId" not in items[0]
        assert re.fullmatch(r"[a-z0-9]{10}", items[0]["id"])
    finally:
        apigw.delete_rest_api(restApiId=created["id"])


def test_regional_endpoint_and_settings_are_kept(apigw):
    created = apigw.create_rest_api(
        name=unique_name("regional"), endpointConfiguration={"types": ["REGIONAL"]},
        binaryMediaTypes=["image/png"], minimumCompressionSize=1024,
        apiKeySource="AUTHORIZER", disableExecuteApiEndpoint=True)
    try:
        got = apigw.get_rest_api(restApiId=created["id"])
        assert got["endpointConfiguration"] == {"types": ["REGIONAL"]}
        assert got["binaryMediaTypes"] == ["image/png"]
        assert got["minimumCompressionSize"] == 1024
        assert got["apiKeySource"] == "AUTHORIZER"
        assert got["disableExecuteApiEndpoint"] is True
    finally:
        apigw.delete_rest_api(restApiId=created["id"])


def test_listing_pages_through_every_api(server):
    # An account of its own, so that other tests' APIs do not count.
    apigw = server.client("apigateway", access_key="210987654321")
    ids = {apigw.create_rest_api(name=f"page-{i}")["id"] for i in range(7)}
    first = apigw.get_rest_apis(limit=3)
    assert len(first["items"]) == 3 and "position" in first
    seen = set()
    for page in apigw.get_paginator("get_rest_apis").paginate(PaginationConfig={"PageSize": 2}):
        seen |= {a["id"] for a in page["items"]}
    assert seen == ids
    code, message, status = error_of(lambda: apigw.get_rest_apis(limit=501))
    assert (code, status) == ("BadRequestException", 400)
    assert "less than or equal to 500" in message
    for i in ids:
        apigw.delete_rest_api(restApiId=i)
    assert apigw.get_rest_apis()["items"] == []


def test_unknown_and_deleted_apis_are_not_found(apigw, api):
    code, message, status = error_of(lambda: apigw.get_rest_api(restApiId="nosuchapi0"))
    assert (code, status) == ("NotFoundException", 404)
    assert message == "Invalid API identifier specified 000000000000:nosuchapi0"
    apigw.delete_rest_api(restApiId=api["id"])
    assert error_of(lambda: apigw.get_resources(restApiId=api["id"]))[0] == "NotFoundException"
    assert error_of(lambda: apigw.delete_rest_api(restApiId=api["id"]))[0] == "NotFoundException"


def test_a_resource_tree_with_parameters_and_a_greedy_proxy(apigw, api):
    root = root_of(apigw, api["id"])["id"]
    pets = apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="pets")
    assert pets["path"] == "/pets" and pets["parentId"] == root and pets["pathPart"] == "pets"
    assert pets["ResponseMetadata"]["HTTPStatusCode"] == 201
    pet = apigw.create_resource(restApiId=api["id"], parentId=pets["id"], pathPart="{petId}")
    assert pet["path"] == "/pets/{petId}"
    proxy = apigw.create_resource(restApiId=api["id"], parentId=pet["id"], pathPart="{proxy+}")
    assert proxy["path"] == "/pets/{petId}/{proxy+}"
    assert apigw.get_resource(restApiId=api["id"], resourceId=pet["id"])["path"] == "/pets/{petId}"
    paths = [r["path"] for r in apigw.get_paginator("get_resources").paginate(
        restApiId=api["id"], PaginationConfig={"PageSize": 1}).build_full_result()["items"]]
    assert sorted(paths) == ["/", "/pets", "/pets/{petId}", "/pets/{petId}/{proxy+}"]


def test_resource_conflicts_and_bad_path_parts_answer_as_aws(apigw, api):
    root = root_of(apigw, api["id"])["id"]
    items = apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="items")
    assert error_of(lambda: apigw.create_resource(
        restApiId=api["id"], parentId=root, pathPart="items")) == (
        "ConflictException",
        "Another resource with the same parent already has this name: items", 409)
    apigw.create_resource(restApiId=api["id"], parentId=items["id"], pathPart="{id}")
    code, message, status = error_of(lambda: apigw.create_resource(
        restApiId=api["id"], parentId=items["id"], pathPart="{other}"))
    assert (code, status) == ("BadRequestException", 400)
    assert message == ("A sibling ({id}) of this resource already has a variable path part -- "
                       "only one is allowed")
    for bad in ["a b", "{open", "close}", "{}", "a+", "x/y"]:
        code, message, status = error_of(lambda: apigw.create_resource(
            restApiId=api["id"], parentId=root, pathPart=bad))
        assert (code, status) == ("BadRequestException", 400), bad
        assert message.startswith("Resource's path part only allow a-zA-Z0-9._-"), bad
    proxy = apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="{proxy+}")
    code, message, _ = error_of(lambda: apigw.create_resource(
        restApiId=api["id"], parentId=proxy["id"], pathPart="below"))
    assert code == "BadRequestException"
    assert message == "Cannot create a child of a resource with a greedy path variable: {proxy+}"
    assert error_of(lambda: apigw.create_resource(
        restApiId=api["id"], parentId="nosuchres0", pathPart="x")) == (
        "NotFoundException", "Invalid Resource identifier specified", 404)
    assert error_of(lambda: apigw.get_resource(restApiId=api["id"], resourceId="nosuchres0"))[
        0] == "NotFoundException"


def test_deleting_a_resource_deletes_what_is_under_it(apigw, api):
    root = root_of(apigw, api["id"])["id"]
    a = apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="a")
    b = apigw.create_resource(restApiId=api["id"], parentId=a["id"], pathPart="b")
    apigw.create_resource(restApiId=api["id"], parentId=b["id"], pathPart="c")
    keep = apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="keep")
    response = apigw.delete_resource(restApiId=api["id"], resourceId=a["id"])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 202
    paths = sorted(r["path"] for r in apigw.get_resources(restApiId=api["id"])["items"])
    assert paths == ["/", "/keep"]
    assert error_of(lambda: apigw.get_resource(restApiId=api["id"], resourceId=b["id"]))[
        0] == "NotFoundException"
    assert apigw.get_resource(restApiId=api["id"], resourceId=keep["id"])["path"] == "/keep"


def test_apis_are_per_account_and_region(server, api):
    other_account = server.client("apigateway", access_key="111122223333")
    assert error_of(lambda: other_account.get_rest_api(restApiId=api["id"]))[0] == (
        "NotFoundException")
    other_region = boto3.client("apigateway", endpoint_url=server.url, region_name="eu-west-1",
                                aws_access_key_id="AKIDSTRATUSTEST", aws_secret_access_key="x")
    assert error_of(lambda: other_region.get_rest_api(restApiId=api["id"]))[0] == (
        "NotFoundException")


def test_apis_survive_a_restart(private_server):
    apigw = private_server.client("apigateway")
    created = apigw.create_rest_api(name="durable")
    root = root_of(apigw, created["id"])["id"]
    apigw.create_resource(restApiId=created["id"], parentId=root, pathPart="things")
    private_server.restart(signal.SIGKILL)
    apigw = private_server.client("apigateway")
    assert apigw.get_rest_api(restApiId=created["id"])["name"] == "durable"
    paths = sorted(r["path"] for r in apigw.get_resources(restApiId=created["id"])["items"])
    assert paths == ["/", "/things"]


def test_update_rest_api_applies_aws_patch_operations(apigw, api):
    updated = apigw.update_rest_api(restApiId=api["id"], patchOperations=[
        {"op": "replace", "path": "/name", "value": "renamed"},
        {"op": "replace", "path": "/description", "value": "now described"},
        {"op": "add", "path": "/binaryMediaTypes/image~1png", "value": ""},
        {"op": "add", "path": "/binaryMediaTypes/application~1octet-stream", "value": ""},
        {"op": "remove", "path": "/binaryMediaTypes/image~1png"},
        {"op": "replace", "path": "/minimumCompressionSize", "value": "1024"},
        {"op": "replace", "path": "/apiKeySource", "value": "AUTHORIZER"},
        {"op": "replace", "path": "/endpointConfiguration/types/0", "value": "REGIONAL"},
        {"op": "replace", "path": "/disableExecuteApiEndpoint", "value": "true"}])
    assert updated["name"] == "renamed" and updated["description"] == "now described"
    assert updated["binaryMediaTypes"] == ["application/octet-stream"]
    assert updated["minimumCompressionSize"] == 1024
    assert updated["apiKeySource"] == "AUTHORIZER"
    assert updated["endpointConfiguration"] == {"types": ["REGIONAL"]}
    assert updated["disableExecuteApiEndpoint"] is True
    assert apigw.get_rest_api(restApiId=api["id"])["name"] == "renamed"
    # One bad operation: nothing applies.
    assert error_of(lambda: apigw.update_rest_api(restApiId=api["id"], patchOperations=[
        {"op": "replace", "path": "/name", "value": "again"},
        {"op": "replace", "path": "/nonsense", "value": "x"}])) == (
        "BadRequestException", "Invalid patch path /nonsense", 400)
    assert apigw.get_rest_api(restApiId=api["id"])["name"] == "renamed"
    assert error_of(lambda: apigw.update_rest_api(restApiId=api["id"], patchOperations=[
        {"op": "replace", "path": "/minimumCompressionSize", "value": "-1"}]))[0] == (
        "BadRequestException")


def test_update_resource_renames_and_moves_a_subtree(apigw, api):
    root = root_of(apigw, api["id"])["id"]
    a = apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="a")
    b = apigw.create_resource(restApiId=api["id"], parentId=a["id"], pathPart="b")
    other = apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="other")
    renamed = apigw.update_resource(restApiId=api["id"], resourceId=a["id"], patchOperations=[
        {"op": "replace", "path": "/pathPart", "value": "alpha"}])
    assert renamed["path"] == "/alpha"
    assert apigw.get_resource(restApiId=api["id"], resourceId=b["id"])["path"] == "/alpha/b"
    moved = apigw.update_resource(restApiId=api["id"], resourceId=a["id"], patchOperations=[
        {"op": "replace", "path": "/parentId", "value": other["id"]}])
    assert moved["path"] == "/other/alpha" and moved["parentId"] == other["id"]
    assert apigw.get_resource(restApiId=api["id"], resourceId=b["id"])["path"] == "/other/alpha/b"
    assert error_of(lambda: apigw.update_resource(
        restApiId=api["id"], resourceId=a["id"],
        patchOperations=[{"op": "replace", "path": "/parentId", "value": b["id"]}]))[0] == (
        "BadRequestException")
    apigw.create_resource(restApiId=api["id"], parentId=other["id"], pathPart="taken")
    assert error_of(lambda: apigw.update_resource(
        restApiId=api["id"], resourceId=a["id"],
        patchOperations=[{"op": "replace", "path": "/pathPart", "value": "taken"}]))[0] == (
        "ConflictException")
