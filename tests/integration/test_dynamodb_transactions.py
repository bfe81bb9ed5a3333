"""TransactWriteItems and TransactGetItems."""
import signal
import threading

import boto3
import pytest
from botocore.exceptions import ClientError

from conftest import raw_dynamodb, unique_name


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


def counter_request(table, pk, token, amount=1):
    return {"TransactItems": [{"Update": {
        "TableName": table, "Key": key(pk), "UpdateExpression": "ADD n :by",
        "ExpressionAttributeValues": {":by": {"N": str(amount)}}}}], "ClientRequestToken": token}


def test_racing_requests_with_one_token_apply_once(server, table):
    """Requests that share a token and race: one applies, the others answer
    its response or TransactionInProgressException, never a second commit."""
    clients = [server.client("dynamodb", max_pool_connections=4) for _ in range(6)]
    tokens = [f"race-{i}" for i in range(15)]
    outcomes, lock = [], threading.Lock()

    def send(client):
        for token in tokens:
            try:
                client.transact_write_items(**counter_request(table, "race", token))
                outcome = "ok"
            except ClientError as e:
                outcome = e.response["Error"]["Code"]
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(outcomes) <= {"ok", "TransactionInProgressException"}
    item = clients[0].get_item(TableName=table, Key=key("race"), ConsistentRead=True)["Item"]
    assert item["n"] == {"N": str(len(tokens))}


def test_tokens_belong_to_their_region(server):
    """One token in two regions: two transactions, each applied once."""
    def client(region):
        return boto3.client("dynamodb", endpoint_url=server.url, region_name=region,
                            aws_access_key_id="AKIDSTRATUSTEST", aws_secret_access_key="secret")
    name = unique_name("regional")
    regions = [client("us-east-1"), client("eu-west-1")]
    for c in regions:
        c.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                       AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                             {"AttributeName": "sk", "AttributeType": "N"}],
                       KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                  {"AttributeName": "sk", "KeyType": "RANGE"}])
    try:
        for c in regions:
            c.transact_write_items(**counter_request(name, "r", "shared-token"))
            c.transact_write_items(**counter_request(name, "r", "shared-token"))
        for c in regions:
            assert c.get_item(TableName=name, Key=key("r"))["Item"]["n"] == {"N": "1"}
    finally:
        for c in regions:
            c.delete_table(TableName=name)


def test_tokens_survive_a_restart(private_server):
    client = private_server.client("dynamodb")
    name = unique_name("tokens")
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                              {"AttributeName": "sk", "AttributeType": "N"}],
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                   {"AttributeName": "sk", "KeyType": "RANGE"}])
    client.transact_write_items(**counter_request(name, "kept", "before-restart"))
    private_server.restart(signal.SIGKILL)
    client = private_server.client("dynamodb")
    client.transact_write_items(**counter_request(name, "kept", "before-restart"))
    assert client.get_item(TableName=name, Key=key("kept"))["Item"]["n"] == {"N": "1"}
    response = error_of(lambda: client.transact_write_items(
        **counter_request(name, "kept", "before-restart", amount=5)))
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
