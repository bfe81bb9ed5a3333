"""Lambda resource policies, reserved concurrency, event-invoke
configurations, tags and account settings through boto3."""
import json

import pytest
from botocore.exceptions import ClientError

from lambda_support import create_function, error_of

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


@pytest.fixture(scope="module")
def awslambda(server):
    return server.client("lambda", parameter_validation=False)


def test_add_permission_as_the_seed_tutorial_does(awslambda):
    name = create_function(awslambda)
    source = "arn:aws:execute-api:us-east-1:000000000000:mnh1yprki7/*/POST/DynamoDBManager"
    added = awslambda.add_permission(FunctionName=name, StatementId="apigateway-test-2",
                                     Action="lambda:InvokeFunction",
                                     Principal="apigateway.amazonaws.com", SourceArn=source)
    assert added["ResponseMetadata"]["HTTPStatusCode"] == 201
    # The exact text AWS answers (the tutorial prints it).
    assert added["Statement"] == (
        '{"Sid":"apigateway-test-2","Effect":"Allow","Principal":{"Service":'
        '"apigateway.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":'
        f'"{ARN}{name}","Condition":{{"ArnLike":{{"AWS:SourceArn":"{source}"}}}}}}')
    awslambda.add_permission(FunctionName=name, StatementId="apigateway-prod-2",
                             Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
                             SourceArn=source.replace("/*/", "/prod/"))
    policy = awslambda.get_policy(FunctionName=name)
    document = json.loads(policy["Policy"])
    assert document["Version"] == "2012-10-17"
    assert document["Id"] == "default"
    assert [s["Sid"] for s in document["Statement"]] == ["apigateway-test-2", "apigateway-prod-2"]
    assert policy["RevisionId"]

    with pytest.raises(ClientError) as duplicate:
        awslambda.add_permission(FunctionName=name, StatementId="apigateway-test-2",
                                 Action="lambda:InvokeFunction", Principal="s3.amazonaws.com")
    assert error_of(duplicate) == (
        "ResourceConflictException",
        "The statement id (apigateway-test-2) provided already exists. Please provide a new "
        "statement id, or remove the existing statement.", 409)

    awslambda.remove_permission(FunctionName=name, StatementId="apigateway-test-2")
    with pytest.raises(ClientError) as removed:
        awslambda.remove_permission(FunctionName=name, StatementId="apigateway-test-2")
    assert error_of(removed)[1] == "Statement apigateway-test-2 is not found in resource policy."
    awslambda.remove_permission(FunctionName=name, StatementId="apigateway-prod-2")
    with pytest.raises(ClientError) as empty:
        awslambda.get_policy(FunctionName=name)
    assert error_of(empty) == ("ResourceNotFoundException",
                               "The resource you requested does not exist.", 404)


def test_permission_principals_and_qualifiers(awslambda):
    name = create_function(awslambda, Publish=True)
    awslambda.add_permission(FunctionName=name, StatementId="acct", Action="lambda:*",
                             Principal="111122223333", Qualifier="1")
    awslambda.add_permission(FunctionName=name, StatementId="any", Action="lambda:InvokeFunction",
                             Principal="*", SourceAccount="111122223333", Qualifier="1")
    statements = json.loads(awslambda.get_policy(FunctionName=name, Qualifier="1")["Policy"])[
        "Statement"]
    assert statements[0]["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}
    assert statements[0]["Resource"] == f"{ARN}{name}:1"
    assert statements[1]["Principal"] == "*"
    assert statements[1]["Condition"] == {"StringEquals": {"AWS:SourceAccount": "111122223333"}}
    with pytest.raises(ClientError):
        awslambda.get_policy(FunctionName=name)  # the unqualified policy is empty
    with pytest.raises(ClientError) as latest:
        awslambda.add_permission(FunctionName=name, StatementId="x", Action="lambda:*",
                                 Principal="*", Qualifier="$LATEST")
    assert error_of(latest)[1] == "We currently do not support adding policies for $LATEST."
    with pytest.raises(ClientError) as principal:
        awslambda.add_permission(FunctionName=name, StatementId="x", Action="lambda:*",
                                 Principal="someone")
    assert error_of(principal)[1] == (
        "The provided principal was invalid. Please check the principal and try again.")
    with pytest.raises(ClientError) as missing:
        awslambda.add_permission(FunctionName="does-not-exist", StatementId="x",
                                 Action="lambda:*", Principal="*")
    assert error_of(missing)[1] == f"Function not found: {ARN}does-not-exist"


def test_reserved_concurrency(server):
    awslambda = server.client("lambda", access_key="222233334444")
    name = create_function(awslambda)
    other = create_function(awslambda)
    assert awslambda.get_function_concurrency(FunctionName=name).get(
        "ReservedConcurrentExecutions") is None
    put = awslambda.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    assert put["ReservedConcurrentExecutions"] == 0
    awslambda.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=850)
    assert awslambda.get_function(FunctionName=name)["Concurrency"] == {
        "ReservedConcurrentExecutions": 850}
    with pytest.raises(ClientError) as limit:
        awslambda.put_function_concurrency(FunctionName=other, ReservedConcurrentExecutions=51)
    assert error_of(limit) == (
        "InvalidParameterValueException",
        "Specified ReservedConcurrentExecutions for function decreases account's "
        "UnreservedConcurrentExecution below its minimum value of [100].", 400)
    settings = awslambda.get_account_settings()
    assert settings["AccountLimit"] == {
        "TotalCodeSize": 80530636800, "CodeSizeUnzipped": 262144000, "CodeSizeZipped": 52428800,
        "ConcurrentExecutions": 1000, "UnreservedConcurrentExecutions": 150}
    assert settings["AccountUsage"]["FunctionCount"] == 2
    assert settings["AccountUsage"]["TotalCodeSize"] > 0
    awslambda.delete_function_concurrency(FunctionName=name)
    assert "ReservedConcurrentExecutions" not in awslambda.get_function_concurrency(
        FunctionName=name)
    with pytest.raises(ClientError) as qualified:
        awslambda.put_function_concurrency(FunctionName=f"{name}:1", ReservedConcurrentExecutions=1)
    assert error_of(qualified)[1].startswith(
        "This operation is permitted on Lambda functions only.")
    with pytest.raises(ClientError) as missing:
        awslambda.put_function_concurrency(FunctionName="nope", ReservedConcurrentExecutions=1)
    assert error_of(missing)[1] == (
        "Function not found: arn:aws:lambda:us-east-1:222233334444:function:nope:$LATEST")


def test_event_invoke_config_lifecycle(awslambda):
    name = create_function(awslambda, Publish=True)
    destination = create_function(awslambda)
    put = awslambda.put_function_event_invoke_config(
        FunctionName=name, MaximumRetryAttempts=1,
        DestinationConfig={"OnFailure": {"Destination": ARN + destination}})
    assert put["FunctionArn"] == f"{ARN}{name}:$LATEST"
    assert put["MaximumRetryAttempts"] == 1
    assert put["DestinationConfig"] == {"OnSuccess": {},
                                        "OnFailure": {"Destination": ARN + destination}}
    updated = awslambda.update_function_event_invoke_config(FunctionName=name,
                                                            MaximumEventAgeInSeconds=120)
    assert (updated["MaximumRetryAttempts"], updated["MaximumEventAgeInSeconds"]) == (1, 120)
    got = awslambda.get_function_event_invoke_config(FunctionName=name)
    assert got["MaximumEventAgeInSeconds"] == 120
    awslambda.put_function_event_invoke_config(FunctionName=name, Qualifier="1",
                                               MaximumRetryAttempts=0)
    listed = awslambda.list_function_event_invoke_configs(FunctionName=name)
    assert sorted(c["FunctionArn"] for c in listed["FunctionEventInvokeConfigs"]) == [
        f"{ARN}{name}:$LATEST", f"{ARN}{name}:1"]
    awslambda.delete_function_event_invoke_config(FunctionName=name, Qualifier="1")
    with pytest.raises(ClientError) as gone:
        awslambda.get_function_event_invoke_config(FunctionName=name, Qualifier="1")
    assert error_of(gone) == ("ResourceNotFoundException",
                              f"The function {ARN}{name}:1 doesn't have an EventInvokeConfig", 404)


def test_event_invoke_config_errors(awslambda):
    name = create_function(awslambda)
    with pytest.raises(ClientError) as nothing:
        awslambda.put_function_event_invoke_config(FunctionName=name)
    assert error_of(nothing)[1] == (
        "You must specify at least one of error handling or destination setting.")
    with pytest.raises(ClientError) as self_destination:
        awslambda.put_function_event_invoke_config(
            FunctionName=name, DestinationConfig={"OnSuccess": {"Destination": ARN + name}})
    assert error_of(self_destination)[1] == (
        "You can't specify the function as a destination for itself.")
    with pytest.raises(ClientError) as missing_destination:
        awslambda.put_function_event_invoke_config(
            FunctionName=name, DestinationConfig={"OnFailure": {"Destination": ARN + "nope"}})
    assert error_of(missing_destination)[1] == f"The destination ARN {ARN}nope is invalid."
    with pytest.raises(ClientError) as missing_function:
        awslambda.put_function_event_invoke_config(FunctionName="nope", MaximumRetryAttempts=0)
    assert error_of(missing_function) == ("ResourceNotFoundException",
                                          "The function doesn't exist.", 404)
    with pytest.raises(ClientError) as out_of_range:
        awslambda.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=3)
    assert error_of(out_of_range)[0] == "ValidationException"


def test_tags(awslambda):
    name = create_function(awslambda, Tags={"team": "a"})
    arn = ARN + name
    awslambda.tag_resource(Resource=arn, Tags={"env": "dev", "team": "b"})
    assert awslambda.list_tags(Resource=arn)["Tags"] == {"team": "b", "env": "dev"}
    awslambda.untag_resource(Resource=arn, TagKeys=["team"])
    assert awslambda.list_tags(Resource=arn)["Tags"] == {"env": "dev"}
    with pytest.raises(ClientError) as qualified:
        awslambda.list_tags(Resource=arn + ":1")
    assert error_of(qualified)[1] == (
        "Tags on function aliases and versions are not supported. Please specify a function ARN.")
    with pytest.raises(ClientError) as missing:
        awslambda.tag_resource(Resource=ARN + "nope", Tags={"a": "b"})
    assert error_of(missing) == ("ResourceNotFoundException", f"Function not found: {ARN}nope",
                                 404)
