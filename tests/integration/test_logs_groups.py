"""CloudWatch Logs: log groups, retention policies and tags, with boto3 and the AWS CLI."""
import json

import pytest

from conftest import aws_cli, unique_name


@pytest.fixture
def group(logs):
    name = "/test/" + unique_name("group")
    logs.create_log_group(logGroupName=name)
    yield name
    try:
        logs.delete_log_group(logGroupName=name)
    except logs.exceptions.ResourceNotFoundException:
        pass


def error_of(excinfo):
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"]


def test_create_and_describe(logs, group):
    groups = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert len(groups) == 1
    g = groups[0]
    assert g["logGroupName"] == group
    assert g["arn"] == f"arn:aws:logs:us-east-1:000000000000:log-group:{group}:*"
    assert g["metricFilterCount"] == 0
    assert g["storedBytes"] == 0
    assert g["creationTime"] > 1_600_000_000_000
    assert "retentionInDays" not in g


def test_create_twice_fails(logs, group):
    with pytest.raises(logs.exceptions.ResourceAlreadyExistsException) as e:
        logs.create_log_group(logGroupName=group)
    assert error_of(e) == ("ResourceAlreadyExistsException",
                           "The specified log group already exists")


def test_invalid_names_are_invalid_parameters(logs):
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        logs.create_log_group(logGroupName="bad:name")
    code, message = error_of(e)
    assert message == ("1 validation error detected: Value 'bad:name' at 'logGroupName' failed to "
                       "satisfy constraint: Member must satisfy regular expression pattern: "
                       "[\\.\\-_/#A-Za-z0-9]+")
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        logs.create_log_group(logGroupName="aws/mine")
    assert error_of(e)[1] == "Log groups starting with AWS/ are reserved for AWS."


def test_delete(logs):
    name = unique_name("gone")
    logs.create_log_group(logGroupName=name)
    logs.delete_log_group(logGroupName=name)
    assert logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"] == []
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as e:
        logs.delete_log_group(logGroupName=name)
    assert error_of(e) == ("ResourceNotFoundException", "The specified log group does not exist.")


def test_describe_pages(server, logs):
    prefix = unique_name("page") + "/"
    names = [prefix + n for n in ("c", "a", "e", "b", "d")]
    for n in names:
        logs.create_log_group(logGroupName=n)
    first = logs.describe_log_groups(logGroupNamePrefix=prefix, limit=2)
    assert [g["logGroupName"] for g in first["logGroups"]] == [prefix + "a", prefix + "b"]
    assert "nextToken" in first
    seen = []
    for page in logs.get_paginator("describe_log_groups").paginate(
            logGroupNamePrefix=prefix, PaginationConfig={"PageSize": 2}):
        seen += [g["logGroupName"] for g in page["logGroups"]]
    assert seen == sorted(names)
    # The CLI follows the tokens itself.
    out = json.loads(aws_cli(server, "logs", "describe-log-groups",
                             "--log-group-name-prefix", prefix, "--page-size", "2").stdout)
    assert [g["logGroupName"] for g in out["logGroups"]] == sorted(names)
    pattern = logs.describe_log_groups(logGroupNamePattern=prefix + "d")["logGroups"]
    assert [g["logGroupName"] for g in pattern] == [prefix + "d"]
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.describe_log_groups(logGroupNamePrefix=prefix, nextToken="bogus")
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.describe_log_groups(logGroupNamePrefix=prefix, limit=51)


def test_retention_policy(logs, group):
    logs.put_retention_policy(logGroupName=group, retentionInDays=7)
    g = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]
    assert g["retentionInDays"] == 7
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        logs.put_retention_policy(logGroupName=group, retentionInDays=2)
    assert error_of(e)[1] == (
        "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy "
        "constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, "
        "180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]")
    logs.delete_retention_policy(logGroupName=group)
    g = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]
    assert "retentionInDays" not in g
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.put_retention_policy(logGroupName=group + "-missing", retentionInDays=1)
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.delete_retention_policy(logGroupName=group + "-missing")


def test_retention_policy_cli(server, group):
    aws_cli(server, "logs", "put-retention-policy", "--log-group-name", group,
            "--retention-in-days", "30")
    out = json.loads(aws_cli(server, "logs", "describe-log-groups", "--log-group-name-prefix",
                             group).stdout)
    assert out["logGroups"][0]["retentionInDays"] == 30


def test_tags_by_arn(logs):
    name = unique_name("tagged")
    logs.create_log_group(logGroupName=name, tags={"team": "a", "env": "dev"})
    arn = f"arn:aws:logs:us-east-1:000000000000:log-group:{name}"
    assert logs.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "a", "env": "dev"}
    logs.tag_resource(resourceArn=arn, tags={"team": "b", "cost": "1"})
    assert logs.list_tags_for_resource(resourceArn=arn)["tags"] == {
        "team": "b", "env": "dev", "cost": "1"}
    # The ARN DescribeLogGroups shows ends in ":*", which the tagging API refuses.
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.list_tags_for_resource(resourceArn=arn + ":*")
    logs.untag_resource(resourceArn=arn, tagKeys=["env", "nope"])
    assert logs.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "b", "cost": "1"}
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.tag_resource(resourceArn=arn + "-missing", tags={"a": "b"})
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.list_tags_for_resource(resourceArn="arn:aws:s3:::bucket")
    with pytest.raises(logs.exceptions.TooManyTagsException):
        logs.tag_resource(resourceArn=arn, tags={f"k{i}": "v" for i in range(49)})


def test_legacy_tag_operations(logs, group):
    logs.tag_log_group(logGroupName=group, tags={"a": "1", "b": "2"})
    assert logs.list_tags_log_group(logGroupName=group)["tags"] == {"a": "1", "b": "2"}
    logs.untag_log_group(logGroupName=group, tags=["a"])
    assert logs.list_tags_log_group(logGroupName=group)["tags"] == {"b": "2"}
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.list_tags_log_group(logGroupName=group + "-missing")


def test_groups_are_per_account(server, group):
    other = server.client("logs", access_key="111122223333")
    assert other.describe_log_groups(logGroupNamePrefix=group)["logGroups"] == []


def test_unimplemented_operation_is_501(logs):
    with pytest.raises(Exception) as e:
        logs.describe_destinations()
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert e.value.response["Error"]["Code"] == "NotImplementedException"


def test_cli_create_describe_delete(server):
    name = unique_name("cli")
    aws_cli(server, "logs", "create-log-group", "--log-group-name", name)
    out = json.loads(aws_cli(server, "logs", "describe-log-groups", "--log-group-name-prefix",
                             name).stdout)
    assert [g["logGroupName"] for g in out["logGroups"]] == [name]
    failed = aws_cli(server, "logs", "create-log-group", "--log-group-name", name, check=False)
    assert failed.returncode != 0
    assert "ResourceAlreadyExistsException" in failed.stderr
    aws_cli(server, "logs", "delete-log-group", "--log-group-name", name)
