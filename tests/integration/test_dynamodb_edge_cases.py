"""DynamoDB's answers at the edges of the item, batch and transaction APIs:
which mistakes are a ValidationException, which cancel a transaction, and
what UPDATED_NEW reports."""

import pytest
from botocore.exceptions import ClientError

from conftest import raw_dynamodb


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"], info.value.response


def key(pk, sk=1):
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def test_a_key_that_does_not_fit_cancels_the_transaction(dynamodb, table):
    code, message, response = error_of(lambda: dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"N": "7"}, "sk": {"N": "1"}}}},
        {"Put": {"TableName": table, "Item": {"pk": {"N": "8"}, "sk": {"N": "1"}}}},
        {"Put": {"TableName": table, "Item": key("fine"), "ConditionExpression": "attribute_exists(pk)"}},
    ]))
    assert code == "TransactionCanceledException"
    reasons = response["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["ValidationError", "None", "None"]
    assert "Message" in reasons[0] and "Message" not in reasons[1]


def test_transactions_write_at_most_4_mb(dynamodb, table):
    big = "x" * 100_000
    code, message, _ = error_of(lambda: dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": key("big", i) | {"x": {"S": big}}}} for i in range(50)]))
    assert (code, message) == ("ValidationException", "Transaction request size cannot exceed 4 MB")
    assert "Item" not in dynamodb.get_item(TableName=table, Key=key("big", 0))


def test_legacy_condition_operands(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("legacy") | {"a": {"N": "3"}})
    code, message, _ = error_of(lambda: dynamodb.update_item(
        TableName=table, Key=key("legacy"),
        AttributeUpdates={"z": {"Value": {"N": "1"}, "Action": "PUT"}},
        Expected={"a": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "3"}, {"S": "dog"}]}}))
    assert message == ("One or more parameter values were invalid: AttributeValues inside "
                       "AttributeValueList must be of same type")
    code, message, _ = error_of(lambda: dynamodb.update_item(
        TableName=table, Key=key("legacy"),
        AttributeUpdates={"z": {"Value": {"N": "1"}, "Action": "PUT"}},
        Expected={"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "5"}, {"N": "2"}]}}))
    assert (code, message) == ("ValidationException", "The BETWEEN condition was provided a range "
                               "where the lower bound is greater than the upper bound")
    code, message, _ = error_of(lambda: dynamodb.update_item(
        TableName=table, Key=key("legacy"),
        AttributeUpdates={"z": {"Value": {"N": "1"}, "Action": "PUT"}}, ConditionalOperator="OR"))
    assert code == "ValidationException" and "ConditionalOperator" in message
    code, message, _ = error_of(lambda: dynamodb.update_item(
        TableName=table, Key=key("legacy"),
        AttributeUpdates={"a": {"Value": {"SS": ["x"]}, "Action": "ADD"}}))
    assert (code, message) == ("ValidationException", "Type mismatch for attribute to update")


def test_key_attributes_cannot_be_updated_whatever_the_action(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("keys"))
    for expression, values in [("REMOVE pk", None), ("ADD sk :one", {":one": {"N": "4"}}),
                               ("SET pk = :v", {":v": {"S": "other"}})]:
        kwargs = {"ExpressionAttributeValues": values} if values else {}
        code, message, _ = error_of(lambda: dynamodb.update_item(
            TableName=table, Key=key("keys"), UpdateExpression=expression, **kwargs))
        assert code == "ValidationException"
        assert "This attribute is part of the key" in message, expression


def test_updated_new_leaves_out_an_append_past_the_end(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("list") | {"a": {"L": [{"N": "1"}]}})
    out = dynamodb.update_item(TableName=table, Key=key("list"), UpdateExpression="SET a[100] = :v",
                               ExpressionAttributeValues={":v": {"N": "9"}}, ReturnValues="UPDATED_NEW")
    assert "Attributes" not in out
    item = dynamodb.get_item(TableName=table, Key=key("list"))["Item"]
    assert item["a"] == {"L": [{"N": "1"}, {"N": "9"}]}


def test_batch_requests_with_a_null_table_entry(server, table):
    for operation in ("BatchWriteItem", "BatchGetItem"):
        status, body = raw_dynamodb(server, operation, {"RequestItems": {table: None}})
        assert status == 400
        assert body["__type"].endswith("ValidationException")


def test_remove_of_a_nested_path_on_a_missing_item_is_ignored(dynamodb, table):
    dynamodb.update_item(TableName=table, Key=key("never"), UpdateExpression="REMOVE x.y")
    dynamodb.update_item(TableName=table, Key=key("never"), UpdateExpression="REMOVE x[0]")
    assert "Item" not in dynamodb.get_item(TableName=table, Key=key("never"))
    # On an item that exists, the same path is an error.
    dynamodb.put_item(TableName=table, Item=key("exists"))
    code, message, _ = error_of(lambda: dynamodb.update_item(
        TableName=table, Key=key("exists"), UpdateExpression="REMOVE x.y"))
    assert message == "The document path provided in the update expression is invalid for update"


def test_batch_write_with_a_null_request(server, table):
    status, body = raw_dynamodb(server, "BatchWriteItem", {"RequestItems": {table: [{"PutRequest": None}]}})
    assert status == 400
    assert body["__type"].endswith("ValidationException")


def test_index_capacity_is_reported(dynamodb):
    from conftest import unique_name
    name = unique_name("cap")
    dynamodb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}])
    put = dynamodb.put_item(TableName=name, Item={"pk": {"S": "a"}, "g": {"S": "x"}},
                            ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    assert put["Table"] == {"CapacityUnits": 1.0}
    assert put["GlobalSecondaryIndexes"] == {"by_g": {"CapacityUnits": 1.0}}
    assert put["CapacityUnits"] == 2.0
    # Moving the entry costs a delete and a put in the index.
    moved = dynamodb.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="SET g = :g",
                                 ExpressionAttributeValues={":g": {"S": "y"}},
                                 ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    assert moved["GlobalSecondaryIndexes"]["by_g"]["CapacityUnits"] == 2.0
    # An ALL projection copies every attribute: changing any rewrites the entry.
    total = dynamodb.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="SET note = :o",
                                 ExpressionAttributeValues={":o": {"S": "z"}},
                                 ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    assert total["CapacityUnits"] == 2.0
    read = dynamodb.query(TableName=name, IndexName="by_g", KeyConditionExpression="g = :g",
                          ExpressionAttributeValues={":g": {"S": "y"}},
                          ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    assert "Table" not in read
    assert read["GlobalSecondaryIndexes"]["by_g"]["CapacityUnits"] == read["CapacityUnits"] == 0.5


def test_empty_attribute_names_are_refused(dynamodb, table):
    code, message, _ = error_of(lambda: dynamodb.get_item(
        TableName=table, Key=key("e"), ProjectionExpression="#n", ExpressionAttributeNames={"#n": ""}))
    assert (code, message) == ("ValidationException", "ExpressionAttributeNames contains invalid value: "
                               "Empty attribute name for key #n")
    code, message, _ = error_of(lambda: dynamodb.put_item(TableName=table, Item=key("e") | {"": {"N": "1"}}))
    assert code == "ValidationException" and "Empty attribute name" in message


def test_empty_attribute_names_in_legacy_parameters(dynamodb, table):
    for call in (lambda: dynamodb.get_item(TableName=table, Key=key("e"), AttributesToGet=[""]),
                 lambda: dynamodb.update_item(TableName=table, Key=key("e"),
                                              AttributeUpdates={"": {"Value": {"N": "2"}, "Action": "PUT"}})):
        code, message, _ = error_of(call)
        assert (code, message) == ("ValidationException",
                                   "One or more parameter values were invalid: Empty attribute name")
