"""Helpers of the Lambda integration tests: deployment packages and a
function created the way the seed tutorials create theirs."""
import io
import zipfile

from conftest import unique_name

ROLE = "arn:aws:iam::123456789012:role/service-role/lambda-apigateway-role"
NODE_SOURCE = "exports.handler = async (event) => event;\n"


def make_zip(files=None):
    files = files or {"index.js": NODE_SOURCE}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            z.writestr(name, content)
    return buf.getvalue()


def create_function(client, name=None, runtime="nodejs8.10", zip_bytes=None, **extra):
    name = name or unique_name("fn")
    client.create_function(FunctionName=name, Runtime=runtime, Role=ROLE,
                           Handler="index.handler", Code={"ZipFile": zip_bytes or make_zip()},
                           **extra)
    return name


def error_of(excinfo):
    """(code, message, HTTP status) of a botocore ClientError."""
    response = excinfo.value.response
    return (response["Error"]["Code"], response["Error"]["Message"],
            response["ResponseMetadata"]["HTTPStatusCode"])
