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
