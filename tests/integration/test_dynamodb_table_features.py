"""UpdateTable, tags, TTL (settings and the sweeper), limits and endpoints."""
import time

import pytest
from botocore.exceptions import ClientError

from conftest import Server, unique_name, wait_for


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"]


def arn_of(dynamodb, table):
    return dynamodb.describe_table(TableName=table)["Table"]["TableArn"]


def test_tags_lifecycle(dynamodb, table):
    arn = arn_of(dynamodb, table)
    assert dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"] == []
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"},
                                                 {"Key": "b", "Value": "2"}])
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "3"}])
    tags = dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("a", "3"), ("b", "2")]
    dynamodb.untag_resource(ResourceArn=arn, TagKeys=["a", "nope"])
    assert dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]


def test_tag_responses_have_empty_bodies(server, dynamodb, table):
    arn = arn_of(dynamodb, table)
    response = dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    assert response["ResponseMetadata"]["HTTPHeaders"].get("content-length") == "0"


def test_tags_at_creation(dynamodb):
    name = unique_name()
    dynamodb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        Tags=[{"Key": "team", "Value": "blue"}])
    tags = dynamodb.list_tags_of_resource(ResourceArn=arn_of(dynamodb, name))["Tags"]
    assert tags == [{"Key": "team", "Value": "blue"}]
    dynamodb.delete_table(TableName=name)


def test_tag_errors(dynamodb, table):
    arn = arn_of(dynamodb, table)
    code, message = error_of(lambda: dynamodb.tag_resource(
        ResourceArn="not-an-arn", Tags=[{"Key": "a", "Value": "b"}]))
    assert code == "ValidationException" and "ARNs" in message
    code, message = error_of(lambda: dynamodb.tag_resource(
        ResourceArn=arn + "x", Tags=[{"Key": "a", "Value": "b"}]))
    assert code == "ResourceNotFoundException"
    code, _ = error_of(lambda: dynamodb.tag_resource(
        ResourceArn=arn, Tags=[{"Key": "ok", "Value": "#!%^"}]))
    assert code == "ValidationException"
    code, _ = error_of(lambda: dynamodb.tag_resource(ResourceArn=arn, Tags=[]))
    assert code == "ValidationException"
    code, _ = error_of(lambda: dynamodb.tag_resource(
        ResourceArn=arn, Tags=[{"Key": str(i), "Value": "v"} for i in range(51)]))
    assert code == "ValidationException"


def test_ttl_settings(dynamodb, table):
    assert dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"] == \
        {"TimeToLiveStatus": "DISABLED"}
    code, message = error_of(lambda: dynamodb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"AttributeName": "exp", "Enabled": False}))
    assert "disabled" in message
    spec = {"AttributeName": "exp", "Enabled": True}
    assert dynamodb.update_time_to_live(TableName=table, TimeToLiveSpecification=spec)[
        "TimeToLiveSpecification"] == spec
    assert dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"] == \
        {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}
    code, message = error_of(lambda: dynamodb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"AttributeName": "other", "Enabled": True}))
    assert "active" in message or "enabled" in message
    code, message = error_of(lambda: dynamodb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"AttributeName": "other", "Enabled": False}))
    assert "different" in message
    dynamodb.update_time_to_live(TableName=table,
                                 TimeToLiveSpecification={"AttributeName": "exp", "Enabled": False})
    code, _ = error_of(lambda: dynamodb.update_time_to_live(
        TableName="missing-table", TimeToLiveSpecification=spec))
    assert code == "ResourceNotFoundException"


def test_ttl_sweeper_deletes_expired_items(tmp_path):
    srv = Server(tmp_path / "d", ["--ttl-interval", "0.1"]).start()
    try:
        dynamodb = srv.client("dynamodb")
        name = unique_name()
        dynamodb.create_table(
            TableName=name, BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}])
        now = int(time.time())
        items = {"past": {"N": str(now - 60)}, "future": {"N": str(now + 3600)},
                 "ancient": {"N": str(now - 6 * 365 * 24 * 3600)}, "text": {"S": "soon"}}
        for p, exp in items.items():
            dynamodb.put_item(TableName=name, Item={"p": {"S": p}, "exp": exp})
        dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification={
            "AttributeName": "exp", "Enabled": True})

        def exists(p):
            return "Item" in dynamodb.get_item(TableName=name, Key={"p": {"S": p}})
        assert wait_for(lambda: not exists("past"), timeout=10)
        time.sleep(0.5)  # a few more sweeps
        assert exists("future") and exists("ancient") and exists("text")
    finally:
        srv.stop()


def test_update_table_billing_and_throughput(dynamodb):
    name = unique_name()
    dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    out = dynamodb.update_table(TableName=name, ProvisionedThroughput={
        "ReadCapacityUnits": 5, "WriteCapacityUnits": 6})["TableDescription"]
    assert out["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    code, message = error_of(lambda: dynamodb.update_table(TableName=name, ProvisionedThroughput={
        "ReadCapacityUnits": 5, "WriteCapacityUnits": 6}))
    assert "will not change" in message
    out = dynamodb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")["TableDescription"]
    assert out["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert out["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    described = dynamodb.describe_table(TableName=name)["Table"]
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    code, _ = error_of(lambda: dynamodb.update_table(TableName=name))
    assert code == "ValidationException"
    code, _ = error_of(lambda: dynamodb.update_table(TableName="missing-table",
                                                     BillingMode="PAY_PER_REQUEST"))
    assert code == "ResourceNotFoundException"
    dynamodb.delete_table(TableName=name)


def test_describe_limits_and_endpoints(server, dynamodb):
    limits = dynamodb.describe_limits()
    assert limits["TableMaxReadCapacityUnits"] == 40000
    endpoints = dynamodb.describe_endpoints()["Endpoints"]
    assert endpoints == [{"Address": f"127.0.0.1:{server.port}", "CachePeriodInMinutes": 1440}]
