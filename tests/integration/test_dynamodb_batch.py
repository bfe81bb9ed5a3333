"""BatchGetItem and BatchWriteItem."""
import pytest
from botocore.exceptions import ClientError


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"]


def key(pk, sk):
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def test_batch_write_then_get(dynamodb, table):
    out = dynamodb.batch_write_item(RequestItems={table: [
        {"PutRequest": {"Item": key("b", i) | {"v": {"N": str(i * 10)}}}} for i in range(25)]})
    assert out["UnprocessedItems"] == {}
    got = dynamodb.batch_get_item(RequestItems={table: {"Keys": [key("b", i) for i in range(30)]}})
    items = got["Responses"][table]
    assert sorted(int(i["sk"]["N"]) for i in items) == list(range(25))
    assert got["UnprocessedKeys"] == {}
    dynamodb.batch_write_item(RequestItems={table: [
        {"DeleteRequest": {"Key": key("b", i)}} for i in range(10)]})
    got = dynamodb.batch_get_item(RequestItems={table: {"Keys": [key("b", i) for i in range(25)],
                                                        "AttributesToGet": ["v"]}})
    assert sorted(int(i["v"]["N"]) for i in got["Responses"][table]) == \
        [i * 10 for i in range(10, 25)]


def test_batch_write_limits_and_duplicates(dynamodb, table):
    code, _ = error_of(lambda: dynamodb.batch_write_item(RequestItems={table: [
        {"PutRequest": {"Item": key("l", i)}} for i in range(26)]}))
    assert code == "ValidationException"
    code, message = error_of(lambda: dynamodb.batch_write_item(RequestItems={table: [
        {"PutRequest": {"Item": key("d", 1000)}}, {"DeleteRequest": {"Key": key("d", "1e3")}}]}))
    assert (code, message) == ("ValidationException", "One or more parameter values were invalid: "
                               "Provided list of item keys contains duplicates")


def test_batch_write_is_validated_before_writing(dynamodb, table):
    code, _ = error_of(lambda: dynamodb.batch_write_item(RequestItems={table: [
        {"PutRequest": {"Item": key("v", 1)}},
        {"PutRequest": {"Item": {"pk": {"N": "1"}, "sk": {"N": "2"}}}}]}))
    assert code == "ValidationException"
    assert "Item" not in dynamodb.get_item(TableName=table, Key=key("v", 1))


def test_batch_get_limits_and_duplicates(dynamodb, table):
    code, message = error_of(lambda: dynamodb.batch_get_item(RequestItems={table: {
        "Keys": [key("x", 1), key("x", 1)]}}))
    assert "duplicates" in message
    code, _ = error_of(lambda: dynamodb.batch_get_item(RequestItems={table: {
        "Keys": [key("x", i) for i in range(101)]}}))
    assert code == "ValidationException"


def test_batch_missing_table(dynamodb):
    code, _ = error_of(lambda: dynamodb.batch_get_item(RequestItems={"missing-tbl": {
        "Keys": [{"a": {"S": "b"}}]}}))
    assert code == "ResourceNotFoundException"
    code, _ = error_of(lambda: dynamodb.batch_write_item(RequestItems={"missing-tbl": [
        {"PutRequest": {"Item": {"a": {"S": "b"}}}}]}))
    assert code == "ResourceNotFoundException"


def test_batch_consumed_capacity(dynamodb, table):
    out = dynamodb.batch_write_item(RequestItems={table: [
        {"PutRequest": {"Item": key("c", i)}} for i in range(3)]}, ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 3.0}]
