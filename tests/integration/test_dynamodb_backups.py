"""On-demand backups: create, describe, list, restore into a new table, delete."""
import pytest
from botocore.exceptions import ClientError

from conftest import unique_name


def key(pk, sk=1):
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response["Error"]["Code"]


def test_backup_and_restore(dynamodb, table):
    for i in range(30):
        dynamodb.put_item(TableName=table, Item=key("b", i) | {"v": {"N": str(i)}})
    details = dynamodb.create_backup(TableName=table, BackupName="nightly")["BackupDetails"]
    assert details["BackupStatus"] == "AVAILABLE" and details["BackupName"] == "nightly"
    arn = details["BackupArn"]
    assert arn.startswith(dynamodb.describe_table(TableName=table)["Table"]["TableArn"] + "/backup/")
    # Writes after the backup do not reach it.
    dynamodb.put_item(TableName=table, Item=key("after"))
    described = dynamodb.describe_backup(BackupArn=arn)["BackupDescription"]
    assert described["SourceTableDetails"]["TableName"] == table
    assert described["SourceTableDetails"]["ItemCount"] == 30
    listed = dynamodb.list_backups(TableName=table)["BackupSummaries"]
    assert [b["BackupArn"] for b in listed] == [arn]

    target = unique_name("restored")
    restored = dynamodb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)
    assert restored["TableDescription"]["RestoreSummary"]["SourceBackupArn"] == arn
    items = dynamodb.query(TableName=target, KeyConditions={
        "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "b"}]}})["Items"]
    assert sorted(int(i["v"]["N"]) for i in items) == list(range(30))
    assert "Item" not in dynamodb.get_item(TableName=target, Key=key("after"))
    assert error_of(lambda: dynamodb.restore_table_from_backup(
        TargetTableName=target, BackupArn=arn)) == "TableAlreadyExistsException"

    deleted = dynamodb.delete_backup(BackupArn=arn)["BackupDescription"]
    assert deleted["BackupDetails"]["BackupStatus"] == "DELETED"
    assert error_of(lambda: dynamodb.describe_backup(BackupArn=arn)) == "BackupNotFoundException"
    dynamodb.delete_table(TableName=target)


def test_backup_errors_and_continuous_backups(dynamodb, table):
    assert error_of(lambda: dynamodb.create_backup(TableName="missing-table",
                                                   BackupName="xyz")) == "TableNotFoundException"
    status = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert status["PointInTimeRecoveryDescription"] == {"PointInTimeRecoveryStatus": "DISABLED"}
    assert error_of(lambda: dynamodb.describe_continuous_backups(
        TableName="missing-table")) == "TableNotFoundException"


def test_restore_brings_back_secondary_indexes(dynamodb):
    source = unique_name("indexed")
    dynamodb.create_table(
        TableName=source, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "N"},
                              {"AttributeName": "g", "AttributeType": "S"},
                              {"AttributeName": "l", "AttributeType": "N"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        LocalSecondaryIndexes=[{"IndexName": "by_l", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                    {"AttributeName": "l", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "ALL"}}])
    for i in range(5):
        dynamodb.put_item(TableName=source, Item=key("p", i) | {"g": {"S": f"g{i % 2}"}, "l": {"N": str(10 - i)}})
    arn = dynamodb.create_backup(TableName=source, BackupName="with-indexes")["BackupDetails"]["BackupArn"]
    features = dynamodb.describe_backup(BackupArn=arn)["BackupDescription"]["SourceTableFeatureDetails"]
    assert [i["IndexName"] for i in features["GlobalSecondaryIndexes"]] == ["by_g"]
    assert [i["IndexName"] for i in features["LocalSecondaryIndexes"]] == ["by_l"]

    target = unique_name("restored")
    restored = dynamodb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)["TableDescription"]
    assert [i["IndexName"] for i in restored["GlobalSecondaryIndexes"]] == ["by_g"]
    got = dynamodb.query(TableName=target, IndexName="by_g", KeyConditionExpression="g = :g",
                         ExpressionAttributeValues={":g": {"S": "g0"}})
    assert sorted(int(i["sk"]["N"]) for i in got["Items"]) == [0, 2, 4]
    got = dynamodb.query(TableName=target, IndexName="by_l", KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": {"S": "p"}})
    assert [int(i["l"]["N"]) for i in got["Items"]] == [6, 7, 8, 9, 10]
