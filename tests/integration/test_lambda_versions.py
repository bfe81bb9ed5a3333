"""Lambda versions and aliases through boto3, and invoking by qualifier."""
import pytest
from botocore.exceptions import ClientError

from lambda_support import create_function, error_of, make_zip

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


@pytest.fixture(scope="module")
def awslambda(server):
    return server.client("lambda", parameter_validation=False)


def test_publish_version_freezes_latest(awslambda):
    name = create_function(awslambda, Description="first")
    v1 = awslambda.publish_version(FunctionName=name, Description="release 1")
    assert v1["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert (v1["Version"], v1["FunctionArn"], v1["Description"]) == ("1", ARN + name + ":1",
                                                                      "release 1")
    assert v1["State"] == "Active"
    # Nothing changed: no new version, as AWS.
    assert awslambda.publish_version(FunctionName=name)["Version"] == "1"
    awslambda.update_function_configuration(FunctionName=name, Timeout=30)
    v2 = awslambda.publish_version(FunctionName=name)
    assert v2["Version"] == "2"
    assert awslambda.get_function_configuration(FunctionName=name, Qualifier="1")["Timeout"] == 3
    assert awslambda.get_function_configuration(FunctionName=f"{name}:2")["Timeout"] == 30
    versions = awslambda.list_versions_by_function(FunctionName=name)["Versions"]
    assert [v["Version"] for v in versions] == ["$LATEST", "1", "2"]
    assert versions[0]["FunctionArn"] == ARN + name + ":$LATEST"
    paged = awslambda.list_versions_by_function(FunctionName=name, MaxItems=2)
    assert len(paged["Versions"]) == 2 and "NextMarker" in paged
    rest = awslambda.list_versions_by_function(FunctionName=name, Marker=paged["NextMarker"])
    assert [v["Version"] for v in rest["Versions"]] == ["2"]

    awslambda.delete_function(FunctionName=name, Qualifier="1")
    with pytest.raises(ClientError) as gone:
        awslambda.get_function(FunctionName=name, Qualifier="1")
    assert error_of(gone) == ("ResourceNotFoundException",
                              f"Function not found: {ARN}{name}:1", 404)
    # Numbers are never reused.
    awslambda.update_function_code(FunctionName=name, ZipFile=make_zip({"a.js": "1"}))
    assert awslambda.publish_version(FunctionName=name)["Version"] == "3"


def test_publish_version_preconditions(awslambda):
    name = create_function(awslambda)
    with pytest.raises(ClientError) as sha:
        awslambda.publish_version(FunctionName=name, CodeSha256="wrong")
    code, message, _ = error_of(sha)
    assert code == "InvalidParameterValueException"
    assert message.startswith("CodeSHA256 (wrong) is different from current CodeSHA256 in $LATEST")
    with pytest.raises(ClientError) as revision:
        awslambda.publish_version(FunctionName=name, RevisionId="stale")
    assert error_of(revision)[0::2] == ("PreconditionFailedException", 412)


def test_alias_lifecycle_and_qualifier_resolution(awslambda):
    name = create_function(awslambda, Publish=True)
    awslambda.update_function_configuration(FunctionName=name, MemorySize=512)
    awslambda.publish_version(FunctionName=name)
    alias = awslambda.create_alias(FunctionName=name, Name="live", FunctionVersion="1",
                                   Description="production")
    assert alias["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert alias["AliasArn"] == ARN + name + ":live"
    assert awslambda.get_alias(FunctionName=name, Name="live")["RevisionId"] == alias["RevisionId"]
    via_alias = awslambda.get_function(FunctionName=name, Qualifier="live")["Configuration"]
    assert (via_alias["Version"], via_alias["MemorySize"], via_alias["FunctionArn"]) == (
        "1", 128, ARN + name + ":live")

    weighted = awslambda.update_alias(FunctionName=name, Name="live", FunctionVersion="1",
                                      RoutingConfig={"AdditionalVersionWeights": {"2": 0.25}})
    assert weighted["RoutingConfig"] == {"AdditionalVersionWeights": {"2": 0.25}}
    moved = awslambda.update_alias(FunctionName=name, Name="live", FunctionVersion="2",
                                   RoutingConfig={"AdditionalVersionWeights": {}})
    assert "RoutingConfig" not in moved
    assert awslambda.get_function_configuration(FunctionName=f"{name}:live")["MemorySize"] == 512
    awslambda.create_alias(FunctionName=name, Name="old", FunctionVersion="1")
    assert [a["Name"] for a in awslambda.list_aliases(FunctionName=name)["Aliases"]] == [
        "live", "old"]
    assert [a["Name"] for a in awslambda.list_aliases(FunctionName=name,
                                                       FunctionVersion="1")["Aliases"]] == ["old"]
    # DryRun resolves the alias without running anything.
    assert awslambda.invoke(FunctionName=f"{name}:live", InvocationType="DryRun")[
        "StatusCode"] == 204

    with pytest.raises(ClientError) as stale:
        awslambda.update_alias(FunctionName=name, Name="live", RevisionId="stale")
    assert error_of(stale)[0] == "PreconditionFailedException"
    awslambda.delete_alias(FunctionName=name, Name="old")
    awslambda.delete_alias(FunctionName=name, Name="old")  # 204 again, as AWS
    assert [a["Name"] for a in awslambda.list_aliases(FunctionName=name)["Aliases"]] == ["live"]


def test_alias_errors(awslambda):
    name = create_function(awslambda, Publish=True)
    awslambda.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    with pytest.raises(ClientError) as exists:
        awslambda.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    assert error_of(exists) == ("ResourceConflictException",
                                f"Alias already exists: {ARN}{name}:live", 409)
    with pytest.raises(ClientError) as version:
        awslambda.create_alias(FunctionName=name, Name="x", FunctionVersion="10")
    assert error_of(version) == ("ResourceNotFoundException",
                                 f"Function not found: {ARN}{name}:10", 404)
    with pytest.raises(ClientError) as missing:
        awslambda.get_alias(FunctionName=name, Name="nope")
    assert error_of(missing) == ("ResourceNotFoundException",
                                 f"Cannot find alias arn: {ARN}{name}:nope", 404)
    with pytest.raises(ClientError) as update_missing:
        awslambda.update_alias(FunctionName=name, Name="nope", FunctionVersion="1")
    assert error_of(update_missing)[1] == f"Alias not found: {ARN}{name}:nope"
    with pytest.raises(ClientError) as too_many:
        awslambda.create_alias(FunctionName=name, Name="y", FunctionVersion="1",
                               RoutingConfig={"AdditionalVersionWeights": {"2": 0.1, "3": 0.1}})
    assert error_of(too_many)[1] == (
        "Number of items in AdditionalVersionWeights cannot be greater than 1")
    with pytest.raises(ClientError) as in_use:
        awslambda.delete_function(FunctionName=name, Qualifier="1")
    assert error_of(in_use)[0] == "ResourceConflictException"
    with pytest.raises(ClientError) as invoke_missing:
        awslambda.invoke(FunctionName=name, Qualifier="nope", InvocationType="DryRun")
    assert error_of(invoke_missing)[1] == f"Function not found: {ARN}{name}:nope"
