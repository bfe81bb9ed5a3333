"""DynamoDB table operations through boto3 and the AWS CLI.

Written against DynamoDB's documented behaviour, so that they could run
against AWS too (given an endpoint)."""
import re

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli, raw_dynamodb, unique_name

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def create_simple(dynamodb, name, **extra):
    return dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        **({"BillingMode": "PAY_PER_REQUEST"} | extra))


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"]


def test_create_describe_delete(dynamodb):
    name = unique_name()
    created = create_simple(dynamodb, name)["TableDescription"]
    assert created["TableName"] == name
    assert created["TableStatus"] in ("CREATING", "ACTIVE")
    assert created["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert created["TableArn"] == f"arn:aws:dynamodb:us-east-1:000000000000:table/{name}"
    assert UUID.fullmatch(created["TableId"])
    assert created["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert created["ProvisionedThroughput"]["ReadCapacityUnits"] == 0

    described = dynamodb.describe_table(TableName=name)["Table"]
    assert described["TableStatus"] == "ACTIVE"
    assert described["TableId"] == created["TableId"]
    assert described["CreationDateTime"] == created["CreationDateTime"]
    assert described["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"] == \
        described["CreationDateTime"]
    for absent in ("StreamSpecification", "SSEDescription", "RestoreSummary"):
        assert absent not in described

    deleted = dynamodb.delete_table(TableName=name)["TableDescription"]
    assert deleted["TableStatus"] == "DELETING"
    for absent in ("KeySchema", "AttributeDefinitions", "CreationDateTime"):
        assert absent not in deleted
    code, message = error_of(lambda: dynamodb.describe_table(TableName=name))
    assert code == "ResourceNotFoundException"
    assert message == f"Requested resource not found: Table: {name} not found"


def test_recreated_table_starts_empty(dynamodb):
    name = unique_name()
    create_simple(dynamodb, name)
    dynamodb.put_item(TableName=name, Item={"id": {"S": "a"}})
    dynamodb.delete_table(TableName=name)
    create_simple(dynamodb, name)
    assert "Item" not in dynamodb.get_item(TableName=name, Key={"id": {"S": "a"}})
    dynamodb.delete_table(TableName=name)


def test_provisioned_throughput_is_described(dynamodb):
    name = unique_name()
    created = dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 3})["TableDescription"]
    assert created["ProvisionedThroughput"]["ReadCapacityUnits"] == 2
    assert created["ProvisionedThroughput"]["WriteCapacityUnits"] == 3
    dynamodb.delete_table(TableName=name)


def test_create_existing_table(dynamodb, table):
    code, message = error_of(lambda: dynamodb.create_table(
        TableName=table,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST"))
    assert code == "ResourceInUseException"
    assert message == f"Table already exists: {table}"


def test_delete_missing_table(dynamodb):
    code, message = error_of(lambda: dynamodb.delete_table(TableName="no-such-table"))
    assert code == "ResourceNotFoundException"
    assert message == "Requested resource not found: Table: no-such-table not found"


@pytest.mark.parametrize("name,constraint", [
    ("ab", "Member must have length greater than or equal to 3"),
    ("a" * 256, "Member must have length less than or equal to 255"),
    ("bad@name", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
])
def test_table_name_validation(dynamodb, name, constraint):
    code, message = error_of(lambda: create_simple(dynamodb, name))
    assert code == "ValidationException"
    assert message == (f"1 validation error detected: Value '{name}' at 'tableName' "
                       f"failed to satisfy constraint: {constraint}")


def test_longest_and_dotted_names_work(dynamodb):
    for name in ("a" * 255, ".dotted_name-1"):
        create_simple(dynamodb, name)
        dynamodb.delete_table(TableName=name)


@pytest.mark.parametrize("keys,defs,message", [
    ([("a", "RANGE")], [("a", "S")],
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ([("a", "HASH"), ("b", "HASH")], [("a", "S"), ("b", "S")],
     "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"),
    ([("a", "HASH"), ("a", "RANGE")], [("a", "S"), ("b", "S")],
     "Both the Hash Key and the Range Key element in the KeySchema have the same name"),
    ([("c", "HASH")], [("z", "S")],
     "One or more parameter values were invalid: Some index key attributes are not defined in "
     "AttributeDefinitions. Keys: [c], AttributeDefinitions: [z]"),
    ([("a", "HASH")], [("a", "S"), ("b", "S")],
     "One or more parameter values were invalid: Number of attributes in KeySchema does not "
     "exactly match number of attributes defined in AttributeDefinitions"),
    ([("a", "HASH")], [("a", "S"), ("a", "S")], "Attribute Name is duplicated: a"),
])
def test_key_schema_validation(dynamodb, keys, defs, message):
    code, got = error_of(lambda: dynamodb.create_table(
        TableName=unique_name(),
        KeySchema=[{"AttributeName": n, "KeyType": t} for n, t in keys],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in defs],
        BillingMode="PAY_PER_REQUEST"))
    assert (code, got) == ("ValidationException", message)


def test_key_type_must_be_scalar(server):
    # The enum check happens on the wire; boto3 would refuse it client-side.
    dynamodb = server.client("dynamodb", parameter_validation=False)
    code, message = error_of(lambda: dynamodb.create_table(
        TableName=unique_name(),
        KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "BOOL"}],
        BillingMode="PAY_PER_REQUEST"))
    assert code == "ValidationException"
    assert message == ("1 validation error detected: Value 'BOOL' at "
                       "'attributeDefinitions.1.member.attributeType' failed to satisfy "
                       "constraint: Member must satisfy enum value set: [B, N, S]")


def test_billing_mode_rules(dynamodb):
    code, message = error_of(lambda: dynamodb.create_table(
        TableName=unique_name(),
        KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}]))
    assert code == "ValidationException"
    assert message == ("One or more parameter values were invalid: ReadCapacityUnits and "
                       "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
    code, message = error_of(lambda: dynamodb.create_table(
        TableName=unique_name(),
        KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}))
    assert message.endswith("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified "
                            "when BillingMode is PAY_PER_REQUEST")


def test_missing_required_member(server):
    dynamodb = server.client("dynamodb", parameter_validation=False)
    code, message = error_of(lambda: dynamodb.describe_table())
    assert code == "ValidationException"
    assert message == ("1 validation error detected: Value null at 'tableName' failed to satisfy "
                       "constraint: Member must not be null")


def test_list_tables_paginates(dynamodb):
    names = sorted(unique_name("list") for _ in range(5))
    for n in names:
        create_simple(dynamodb, n)
    try:
        for limit in (1, 2, 3, 100):
            seen, start = [], None
            while True:
                kwargs = {"Limit": limit} | ({"ExclusiveStartTableName": start} if start else {})
                page = dynamodb.list_tables(**kwargs)
                assert len(page["TableNames"]) <= limit
                seen += page["TableNames"]
                start = page.get("LastEvaluatedTableName")
                if not start:
                    break
                assert page["TableNames"], "a page that says 'more' must not be empty"
            assert seen == sorted(seen)
            assert set(names) <= set(seen)
            assert len(seen) == len(set(seen))
    finally:
        for n in names:
            dynamodb.delete_table(TableName=n)


def test_list_tables_limit_range(server):
    dynamodb = server.client("dynamodb", parameter_validation=False)
    code, message = error_of(lambda: dynamodb.list_tables(Limit=101))
    assert message == ("1 validation error detected: Value '101' at 'limit' failed to satisfy "
                       "constraint: Member must have value less than or equal to 100")


def test_deletion_protection(server):
    # Debian's botocore predates DeletionProtectionEnabled: send it raw.
    name = unique_name()
    status, _ = raw_dynamodb(server, "CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST", "DeletionProtectionEnabled": True,
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]})
    assert status == 200
    status, body = raw_dynamodb(server, "DeleteTable", {"TableName": name})
    assert status == 400
    assert body["__type"] == "com.amazon.coral.validate#ValidationException"
    assert "protected against deletion" in body["message"]
    assert raw_dynamodb(server, "DescribeTable", {"TableName": name})[0] == 200


def test_aws_cli_table_lifecycle(server):
    name = unique_name("cli")
    out = aws_cli(server, "dynamodb", "create-table", "--table-name", name,
                  "--attribute-definitions", "AttributeName=Artist,AttributeType=S",
                  "AttributeName=SongTitle,AttributeType=S",
                  "--key-schema", "AttributeName=Artist,KeyType=HASH",
                  "AttributeName=SongTitle,KeyType=RANGE",
                  "--billing-mode", "PAY_PER_REQUEST")
    assert f'"TableName": "{name}"' in out.stdout
    aws_cli(server, "dynamodb", "wait", "table-exists", "--table-name", name)
    assert name in aws_cli(server, "dynamodb", "list-tables").stdout
    aws_cli(server, "dynamodb", "delete-table", "--table-name", name)
    aws_cli(server, "dynamodb", "wait", "table-not-exists", "--table-name", name)
    missing = aws_cli(server, "dynamodb", "describe-table", "--table-name", name, check=False)
    assert missing.returncode != 0
    assert "ResourceNotFoundException" in missing.stderr
