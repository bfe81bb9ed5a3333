"""Expressions through the operations: conditional writes, UpdateItem,
projections, filters and key conditions, and their behaviour under races."""
import threading

import pytest
from botocore.exceptions import ClientError

from conftest import raw_dynamodb


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response


def key(pk, sk=1):
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def test_conditional_put_and_delete(server, dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("c") | {"v": {"N": "1"}},
                      ConditionExpression="attribute_not_exists(pk)")
    # Debian's botocore predates ReturnValuesOnConditionCheckFailure: raw call.
    status, body = raw_dynamodb(server, "PutItem", {
        "TableName": table, "Item": key("c") | {"v": {"N": "2"}},
        "ConditionExpression": "attribute_not_exists(pk)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    assert status == 400
    assert body["__type"].endswith("#ConditionalCheckFailedException")
    assert body["message"] == "The conditional request failed"
    assert body["Item"] == key("c") | {"v": {"N": "1"}}
    response = error_of(lambda: dynamodb.delete_item(
        TableName=table, Key=key("c"), ConditionExpression="v = :two",
        ExpressionAttributeValues={":two": {"N": "2"}}))
    assert response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert "Item" not in response
    dynamodb.delete_item(TableName=table, Key=key("c"), ConditionExpression="v = :one",
                         ExpressionAttributeValues={":one": {"N": "1"}})
    assert "Item" not in dynamodb.get_item(TableName=table, Key=key("c"))


def test_unused_and_undefined_placeholders(dynamodb, table):
    response = error_of(lambda: dynamodb.put_item(
        TableName=table, Item=key("u"), ConditionExpression="attribute_not_exists(pk)",
        ExpressionAttributeValues={":unused": {"N": "1"}}))
    assert response["Error"]["Code"] == "ValidationException"
    assert "unused" in response["Error"]["Message"]
    response = error_of(lambda: dynamodb.put_item(
        TableName=table, Item=key("u"), ConditionExpression="v = :missing"))
    assert "not defined" in response["Error"]["Message"]


def test_update_item_actions_and_return_values(dynamodb, table):
    k = key("upd")
    out = dynamodb.update_item(
        TableName=table, Key=k,
        UpdateExpression="SET a = :one, l = :list, s = :set ADD n :five",
        ExpressionAttributeValues={":one": {"N": "1"}, ":list": {"L": [{"S": "x"}]},
                                   ":set": {"SS": ["p", "q"]}, ":five": {"N": "5"}},
        ReturnValues="ALL_NEW")
    assert out["Attributes"] == k | {"a": {"N": "1"}, "l": {"L": [{"S": "x"}]},
                                     "s": {"SS": ["p", "q"]}, "n": {"N": "5"}}
    out = dynamodb.update_item(
        TableName=table, Key=k,
        UpdateExpression="SET a = a + :one, l = list_append(l, :more) DELETE s :p",
        ExpressionAttributeValues={":one": {"N": "1"}, ":more": {"L": [{"S": "y"}]},
                                   ":p": {"SS": ["p"]}},
        ReturnValues="UPDATED_OLD")
    assert out["Attributes"] == {"a": {"N": "1"}, "l": {"L": [{"S": "x"}]},
                                 "s": {"SS": ["p", "q"]}}
    # Two actions on overlapping paths are refused, as DynamoDB does.
    response = error_of(lambda: dynamodb.update_item(
        TableName=table, Key=k, UpdateExpression="SET l = :l REMOVE l[0]",
        ExpressionAttributeValues={":l": {"L": []}}))
    assert "overlap" in response["Error"]["Message"]
    dynamodb.update_item(TableName=table, Key=k, UpdateExpression="REMOVE l[0]")
    item = dynamodb.get_item(TableName=table, Key=k)["Item"]
    assert item["a"] == {"N": "2"} and item["l"] == {"L": [{"S": "y"}]}
    assert item["s"] == {"SS": ["q"]}
    response = error_of(lambda: dynamodb.update_item(
        TableName=table, Key=k, UpdateExpression="SET pk = :x",
        ExpressionAttributeValues={":x": {"S": "other"}}))
    assert "part of the key" in response["Error"]["Message"]


def test_update_item_creates_missing_items(dynamodb, table):
    dynamodb.update_item(TableName=table, Key=key("new"), UpdateExpression="SET v = :v",
                         ExpressionAttributeValues={":v": {"S": "hello"}})
    assert dynamodb.get_item(TableName=table, Key=key("new"))["Item"]["v"] == {"S": "hello"}


def test_projection_expression(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("proj") | {
        "a": {"M": {"b": {"L": [{"N": "1"}, {"N": "2"}]}, "c": {"S": "x"}}}, "d": {"S": "y"}})
    got = dynamodb.get_item(TableName=table, Key=key("proj"), ProjectionExpression="a.b[1], #d",
                            ExpressionAttributeNames={"#d": "d"})["Item"]
    assert got == {"a": {"M": {"b": {"L": [{"N": "2"}]}}}, "d": {"S": "y"}}
    response = error_of(lambda: dynamodb.get_item(
        TableName=table, Key=key("proj"), ProjectionExpression="a", AttributesToGet=["a"]))
    assert "Can not use both expression and non-expression parameters" in \
        response["Error"]["Message"]


def test_query_with_key_condition_filter_and_projection(dynamodb, table):
    for i in range(10):
        dynamodb.put_item(TableName=table, Item=key("q", i) | {"even": {"BOOL": i % 2 == 0}})
    got = dynamodb.query(
        TableName=table, KeyConditionExpression="pk = :p AND sk BETWEEN :lo AND :hi",
        FilterExpression="even = :t", ProjectionExpression="sk",
        ExpressionAttributeValues={":p": {"S": "q"}, ":lo": {"N": "2"}, ":hi": {"N": "7"},
                                   ":t": {"BOOL": True}})
    assert [int(i["sk"]["N"]) for i in got["Items"]] == [2, 4, 6]
    assert got["Count"] == 3 and got["ScannedCount"] == 6
    limited = dynamodb.query(
        TableName=table, KeyConditionExpression="pk = :p", FilterExpression="even = :t",
        Limit=3, ExpressionAttributeValues={":p": {"S": "q"}, ":t": {"BOOL": False}})
    # The filter applies after the Limit: 3 items read, 1 of them odd.
    assert limited["ScannedCount"] == 3 and limited["Count"] == 1
    assert "LastEvaluatedKey" in limited


def test_scan_filter_expression(dynamodb, table):
    for i in range(5):
        dynamodb.put_item(TableName=table, Item=key("s", i) | {"tag": {"S": f"t{i % 2}"}})
    got = dynamodb.scan(TableName=table, FilterExpression="begins_with(pk, :s) AND tag = :t",
                        ExpressionAttributeValues={":s": {"S": "s"}, ":t": {"S": "t1"}})
    assert sorted(int(i["sk"]["N"]) for i in got["Items"]) == [1, 3]


def test_racing_conditional_puts_have_one_winner(server, table):
    winners = []

    def attempt(n):
        client = server.client("dynamodb")
        try:
            client.put_item(TableName=table, Item=key("race") | {"who": {"N": str(n)}},
                            ConditionExpression="attribute_not_exists(pk)")
            winners.append(n)
        except ClientError as e:
            assert e.response["Error"]["Code"] == "ConditionalCheckFailedException"

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(winners) == 1


def test_add_counter_loses_no_update(server, table):
    def bump():
        client = server.client("dynamodb")
        for _ in range(25):
            client.update_item(TableName=table, Key=key("counter"), UpdateExpression="ADD n :one",
                               ExpressionAttributeValues={":one": {"N": "1"}})

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client = server.client("dynamodb")
    assert client.get_item(TableName=table, Key=key("counter"))["Item"]["n"] == {"N": "200"}
