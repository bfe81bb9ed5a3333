"""TransactWriteItems and TransactGetItems."""
import threading

import pytest
from botocore.exceptions import ClientError

from conftest import raw_dynamodb


def key(pk, sk=1):
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response


def test_all_or_nothing(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("t1") | {"v": {"N": "1"}})
    response = error_of(lambda: dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": key("t2")}},
        {"ConditionCheck": {"TableName": table, "Key": key("t1"),
                            "ConditionExpression": "v = :two",
                            "ExpressionAttributeValues": {":two": {"N": "2"}}}}]))
    assert response["Error"]["Code"] == "TransactionCanceledException"
    assert response["Error"]["Message"] == ("Transaction cancelled, please refer cancellation "
                                            "reasons for specific reasons [None, "
                                            "ConditionalCheckFailed]")
    assert [r["Code"] for r in response["CancellationReasons"]] == ["None",
                                                                   "ConditionalCheckFailed"]
    assert "Item" not in dynamodb.get_item(TableName=table, Key=key("t2"))

    dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": key("t2")}},
        {"Update": {"TableName": table, "Key": key("t1"), "UpdateExpression": "SET v = v + :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        {"Delete": {"TableName": table, "Key": key("t3")}}])
    got = dynamodb.transact_get_items(TransactItems=[
        {"Get": {"TableName": table, "Key": key("t1")}},
        {"Get": {"TableName": table, "Key": key("t2"), "ProjectionExpression": "pk"}},
        {"Get": {"TableName": table, "Key": key("missing")}}])["Responses"]
    assert got[0]["Item"]["v"] == {"N": "2"}
    assert got[1]["Item"] == {"pk": {"S": "t2"}}
    assert got[2] == {}


def test_one_item_once(dynamodb, table):
    response = error_of(lambda: dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": key("dup")}},
        {"Delete": {"TableName": table, "Key": key("dup")}}]))
    assert response["Error"]["Code"] == "ValidationException"
    assert "multiple operations on one item" in response["Error"]["Message"]


def test_client_request_token_is_idempotent(dynamodb, table):
    request = {"TransactItems": [{"Update": {
        "TableName": table, "Key": key("idem"), "UpdateExpression": "ADD n :one",
        "ExpressionAttributeValues": {":one": {"N": "1"}}}}], "ClientRequestToken": "token-1"}
    dynamodb.transact_write_items(**request)
    dynamodb.transact_write_items(**request)  # a retry: not applied twice
    assert dynamodb.get_item(TableName=table, Key=key("idem"))["Item"]["n"] == {"N": "1"}
    request["TransactItems"][0]["Update"]["ExpressionAttributeValues"][":one"] = {"N": "5"}
    response = error_of(lambda: dynamodb.transact_write_items(**request))
    assert response["Error"]["Code"] == "IdempotentParameterMismatchException"


def test_cancellation_reason_carries_old_item(server, dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("old") | {"v": {"S": "x"}})
    status, body = raw_dynamodb(server, "TransactWriteItems", {"TransactItems": [
        {"ConditionCheck": {"TableName": table, "Key": key("old"),
                            "ConditionExpression": "attribute_not_exists(pk)",
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}]})
    assert status == 400
    assert body["CancellationReasons"][0]["Item"] == key("old") | {"v": {"S": "x"}}
    assert "Message" in body


def test_overlapping_transactions_stay_consistent(server, table):
    """Transfers between two counters never create or lose units."""
    client = server.client("dynamodb")
    client.put_item(TableName=table, Item=key("a") | {"n": {"N": "100"}})
    client.put_item(TableName=table, Item=key("b") | {"n": {"N": "100"}})

    def transfer(src, dst):
        c = server.client("dynamodb")
        for _ in range(10):
            try:
                c.transact_write_items(TransactItems=[
                    {"Update": {"TableName": table, "Key": key(src),
                                "UpdateExpression": "ADD n :minus",
                                "ExpressionAttributeValues": {":minus": {"N": "-1"}}}},
                    {"Update": {"TableName": table, "Key": key(dst),
                                "UpdateExpression": "ADD n :plus",
                                "ExpressionAttributeValues": {":plus": {"N": "1"}}}}])
            except ClientError as e:
                assert e.response["Error"]["Code"] in ("TransactionConflictException",
                                                       "TransactionCanceledException")

    threads = [threading.Thread(target=transfer, args=(("a", "b") if i % 2 else ("b", "a")))
               for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    a = int(client.get_item(TableName=table, Key=key("a"))["Item"]["n"]["N"])
    b = int(client.get_item(TableName=table, Key=key("b"))["Item"]["n"]["N"])
    assert a + b == 200
