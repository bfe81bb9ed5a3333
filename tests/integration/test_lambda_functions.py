"""Lambda functions through boto3: create, read, list, update, delete, the
code download, state transitions and AWS's errors."""
import base64
import hashlib
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

from conftest import unique_name
from lambda_support import ROLE, create_function, error_of, make_zip


@pytest.fixture(scope="module")
def awslambda(server):
    return server.client("lambda", parameter_validation=False)


def test_create_reports_pending_then_active(awslambda):
    zip_bytes = make_zip()
    name = unique_name("fn")
    created = awslambda.create_function(
        FunctionName=name, Runtime="nodejs8.10", Role=ROLE, Handler="index.handler",
        Code={"ZipFile": zip_bytes}, Description="seed", Timeout=10, MemorySize=256,
        Environment={"Variables": {"TABLE": "things"}}, Tags={"team": "a"})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["State"] == "Pending"
    assert created["StateReason"] == "The function is being created."
    assert created["StateReasonCode"] == "Creating"
    assert created["Runtime"] == "nodejs8.10"
    assert created["FunctionArn"] == f"arn:aws:lambda:us-east-1:000000000000:function:{name}"
    assert created["CodeSha256"] == base64.b64encode(hashlib.sha256(zip_bytes).digest()).decode()
    assert created["CodeSize"] == len(zip_bytes)
    assert created["Version"] == "$LATEST"
    assert created["PackageType"] == "Zip"
    assert created["Architectures"] == ["x86_64"]
    assert created["Environment"] == {"Variables": {"TABLE": "things"}}
    assert len(created["LastModified"]) == 28 and created["LastModified"].endswith("+0000")

    config = awslambda.get_function_configuration(FunctionName=name)
    assert config["State"] == "Active"
    assert config["LastUpdateStatus"] == "Successful"
    assert config["RevisionId"] == created["RevisionId"]
    function = awslambda.get_function(FunctionName=name)
    assert function["Tags"] == {"team": "a"}
    assert function["Code"]["RepositoryType"] == "S3"


def test_code_location_downloads_the_zip(awslambda, server):
    zip_bytes = make_zip({"index.js": "exports.handler = async () => 'download';\n",
                          "lib/data.json": "{}"})
    name = create_function(awslambda, zip_bytes=zip_bytes)
    location = awslambda.get_function(FunctionName=name)["Code"]["Location"]
    assert location.startswith(server.url + "/_stratus/lambda/code/")
    with urllib.request.urlopen(location, timeout=10) as res:
        assert res.status == 200
        assert res.read() == zip_bytes
    tampered = location[:-4] + "0000"
    with pytest.raises(urllib.error.HTTPError) as denied:
        urllib.request.urlopen(tampered, timeout=10)
    assert denied.value.code == 403


def test_waiters_succeed_at_once(awslambda):
    name = create_function(awslambda)
    awslambda.get_waiter("function_exists").wait(FunctionName=name)
    awslambda.get_waiter("function_active").wait(FunctionName=name)
    awslambda.update_function_configuration(FunctionName=name, Timeout=5)
    awslambda.get_waiter("function_updated").wait(FunctionName=name)


@pytest.mark.parametrize("runtime", ["nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10",
                                     "nodejs20.x", "python2.7", "python3.12", "provided",
                                     "provided.al2", "provided.al2023"])
def test_every_node_python_and_custom_runtime_is_accepted(awslambda, runtime):
    name = create_function(awslambda, runtime=runtime)
    assert awslambda.get_function(FunctionName=name)["Configuration"]["Runtime"] == runtime


def test_create_errors(awslambda):
    name = create_function(awslambda)
    with pytest.raises(ClientError) as exists:
        create_function(awslambda, name=name)
    assert error_of(exists) == ("ResourceConflictException", f"Function already exist: {name}", 409)
    assert exists.value.response["Type"] == "User"

    with pytest.raises(ClientError) as runtime:
        create_function(awslambda, runtime="java8")
    code, message, status = error_of(runtime)
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert message.startswith("Value java8 at 'runtime' failed to satisfy constraint: Member "
                              "must satisfy enum value set: [")
    assert message.endswith("] or be a valid ARN")

    with pytest.raises(ClientError) as role:
        awslambda.create_function(FunctionName=unique_name(), Runtime="nodejs20.x", Role="r1",
                                  Handler="index.handler", Code={"ZipFile": make_zip()})
    assert error_of(role) == (
        "ValidationException",
        "1 validation error detected: Value 'r1' at 'role' failed to satisfy constraint: Member "
        "must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?"
        "[a-zA-Z_0-9+=,.@\\-_/]+", 400)

    with pytest.raises(ClientError) as bad_zip:
        create_function(awslambda, zip_bytes=b"this is not a zip")
    assert error_of(bad_zip) == (
        "InvalidParameterValueException",
        "Could not unzip uploaded file. Please check your file, then try to upload again.", 400)

    with pytest.raises(ClientError) as reserved:
        create_function(awslambda, Environment={"Variables": {"AWS_REGION": "x", "OK": "1"}})
    assert error_of(reserved)[1] == (
        "Lambda was unable to configure your environment variables because the environment "
        "variables you have provided contains reserved keys that are currently not supported "
        "for modification. Reserved keys used in this request: AWS_REGION")

    with pytest.raises(ClientError) as large:
        create_function(awslambda, Environment={"Variables": {"BIG": "x" * 4100}})
    assert error_of(large)[1].startswith(
        "Lambda was unable to configure your environment variables because the environment "
        "variables you have provided exceeded the 4KB limit. String measured: {\"BIG\":\"xxx")

    with pytest.raises(ClientError) as timeout:
        create_function(awslambda, Timeout=901)
    assert error_of(timeout)[0] == "ValidationException"
    with pytest.raises(ClientError) as memory:
        create_function(awslambda, MemorySize=64)
    assert error_of(memory)[0] == "ValidationException"

    with pytest.raises(ClientError) as long_name:
        create_function(awslambda, name="f" * 65)
    assert error_of(long_name) == (
        "ValidationException",
        f"1 validation error detected: Value '{'f' * 65}' at 'functionName' failed to satisfy "
        "constraint: Member must have length less than or equal to 64", 400)

    with pytest.raises(ClientError) as image:
        awslambda.create_function(FunctionName=unique_name(), Role=ROLE, PackageType="Image",
                                  Code={"ImageUri": "x"})
    assert error_of(image)[0] == "NotImplementedException"
    assert error_of(image)[2] == 501


def test_not_found_names_the_function_arn(awslambda):
    with pytest.raises(ClientError) as missing:
        awslambda.get_function(FunctionName="does-not-exist")
    assert error_of(missing) == (
        "ResourceNotFoundException",
        "Function not found: arn:aws:lambda:us-east-1:000000000000:function:does-not-exist", 404)
    assert missing.value.response["Type"] == "User"
    with pytest.raises(ClientError) as region:
        awslambda.get_function(
            FunctionName="arn:aws:lambda:eu-west-1:000000000000:function:does-not-exist")
    assert error_of(region)[1] == (
        "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')")


def test_list_functions_paginates(server):
    # An account of its own, so that other tests' functions do not interfere.
    awslambda = server.client("lambda", access_key="111122223333")
    names = sorted(create_function(awslambda) for _ in range(5))
    first = awslambda.list_functions(MaxItems=2)
    assert [f["FunctionName"] for f in first["Functions"]] == names[:2]
    assert "NextMarker" in first
    seen = []
    for page in awslambda.get_paginator("list_functions").paginate(
            PaginationConfig={"PageSize": 2}):
        seen += [f["FunctionName"] for f in page["Functions"]]
    assert seen == names
    awslambda.publish_version(FunctionName=names[0])
    every = awslambda.list_functions(FunctionVersion="ALL")["Functions"]
    assert [f["FunctionArn"].rsplit(":", 1)[1] for f in every[:2]] == ["$LATEST", "1"]
    assert len(every) == 6


def test_update_code_and_configuration(awslambda):
    name = create_function(awslambda)
    before = awslambda.get_function_configuration(FunctionName=name)
    new_zip = make_zip({"index.js": "exports.handler = async () => 2;\n"})
    updated = awslambda.update_function_code(FunctionName=name, ZipFile=new_zip,
                                             RevisionId=before["RevisionId"])
    assert updated["LastUpdateStatus"] == "InProgress"
    assert updated["CodeSha256"] == base64.b64encode(hashlib.sha256(new_zip).digest()).decode()
    assert updated["RevisionId"] != before["RevisionId"]
    with pytest.raises(ClientError) as stale:
        awslambda.update_function_code(FunctionName=name, ZipFile=new_zip,
                                       RevisionId=before["RevisionId"])
    assert error_of(stale) == (
        "PreconditionFailedException",
        "The Revision Id provided does not match the latest Revision Id. Call the "
        "GetFunction/GetAlias API to retrieve the latest Revision Id", 412)

    configured = awslambda.update_function_configuration(
        FunctionName=name, Handler="main.go", Timeout=60, MemorySize=1024, Runtime="python3.12",
        Description="changed", Environment={"Variables": {"AB": "1"}})
    assert configured["LastUpdateStatus"] == "InProgress"
    config = awslambda.get_function_configuration(FunctionName=name)
    assert (config["Handler"], config["Timeout"], config["MemorySize"], config["Runtime"],
            config["Description"], config["Environment"]) == (
        "main.go", 60, 1024, "python3.12", "changed", {"Variables": {"AB": "1"}})
    assert config["CodeSha256"] == updated["CodeSha256"]
    assert config["LastUpdateStatus"] == "Successful"

    published = awslambda.update_function_code(FunctionName=name, ZipFile=make_zip(),
                                               Publish=True)
    assert published["Version"] == "1"


def test_delete_function(awslambda):
    name = create_function(awslambda)
    response = awslambda.delete_function(FunctionName=name)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as gone:
        awslambda.delete_function(FunctionName=name)
    assert error_of(gone)[0:3:2] == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as latest:
        awslambda.delete_function(FunctionName=create_function(awslambda), Qualifier="$LATEST")
    assert error_of(latest)[1] == "$LATEST version cannot be deleted without deleting the function."


def test_invoke_types_and_their_errors(awslambda):
    name = create_function(awslambda)
    sync = awslambda.invoke(FunctionName=name, Payload=b'{"operation": "echo"}')
    assert sync["StatusCode"] == 200
    assert sync["Payload"].read() == b'{"operation":"echo"}'
    dry = awslambda.invoke(FunctionName=name, InvocationType="DryRun")
    assert dry["StatusCode"] == 204
    queued = awslambda.invoke(FunctionName=name, InvocationType="Event", Payload=b"{}")
    assert queued["StatusCode"] == 202
    with pytest.raises(ClientError) as missing:
        awslambda.invoke(FunctionName="does-not-exist", Payload=b"{}")
    assert error_of(missing)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as too_big:
        awslambda.invoke(FunctionName=name, InvocationType="Event",
                         Payload=b'"' + b"x" * 262144 + b'"')
    assert error_of(too_big) == (
        "RequestEntityTooLargeException",
        "262146 byte payload is too large for the Event invocation type (limit 262144 bytes)", 413)
    with pytest.raises(ClientError) as not_json:
        awslambda.invoke(FunctionName=name, Payload=b"{nope")
    assert error_of(not_json)[0] == "InvalidRequestContentException"
    legacy = awslambda.invoke_async(FunctionName=name, InvokeArgs=b"{}")
    assert legacy["Status"] == 202
