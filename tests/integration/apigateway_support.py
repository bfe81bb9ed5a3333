"""Helpers of the API Gateway integration tests."""
import pytest
from botocore.exceptions import ClientError


def error_of(call):
    """(code, message, HTTP status) of the ClientError that `call` raises."""
    with pytest.raises(ClientError) as info:
        call()
    response = info.value.response
    return (response["Error"]["Code"], response["Error"]["Message"],
            response["ResponseMetadata"]["HTTPStatusCode"])
