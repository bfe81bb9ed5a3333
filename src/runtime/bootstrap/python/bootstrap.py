"""Stratus's Python runtime: a client of the Lambda Runtime API
(AWS_LAMBDA_RUNTIME_API) that imports the function's handler ("file.func" or
"pkg.mod.func") and runs it the way AWS's managed Python runtime does: the
context object, print and logging to stdout, and AWS's error documents
({errorMessage, errorType, requestId, stackTrace}) and Runtime.* error names.

Written for Stratus; behaviour follows AWS's documentation and observed
responses of the managed runtime."""

import importlib
import json
import logging
import os
import socket
import sys
import time

# http.client (through email.*) and decimal cost tens of milliseconds of
# every cold start; the Runtime API needs only a few lines of HTTP/1.1.

_request_id = None


class _Fault(Exception):
    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace


class _Unbuffered:
    """stdout and stderr reach the log as soon as the function writes."""

    def __init__(self, stream):
        self._stream = stream

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def write(self, text):
        written = self._stream.write(text)
        self._stream.flush()
        return written

    def writelines(self, lines):
        self._stream.writelines(lines)
        self._stream.flush()


class _Response:
    def __init__(self, status, headers):
        self.status = status
        self.headers = headers


class _RuntimeApi:
    """A keep-alive HTTP/1.1 client for the Runtime API, which always answers
    with a Content-Length."""

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self._address = (host, int(port))
        self._sock = None
        self._buffer = b""

    def _request(self, method, path, body=None, headers=None):
        body = body or b""
        head = "%s %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Length: %d\r\n" % (
            method, path, self._address[0], self._address[1], len(body))
        for name, value in (headers or {}).items():
            head += "%s: %s\r\n" % (name, value)
        return head.encode("latin-1") + b"\r\n" + body

    def _call(self, *requests):
        """Sends the requests in one write and returns the last answer.
        Requests behind an answer that closed the connection (a refused
        oversized body, say) were never read: they go again on a new one."""
        try:
            answer = None
            while requests:
                if self._sock is None:
                    self._sock = socket.create_connection(self._address)
                    self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                try:
                    self._sock.sendall(b"".join(self._request(*r) for r in requests))
                except OSError:
                    pass  # answered and closed before the whole body went: the answer is read below
                sent, requests = requests, ()
                for i in range(len(sent)):
                    answer = self._read_response()
                    if self._sock is None:
                        requests = sent[i + 1:]
                        break
            return answer
        except OSError as e:
            # The environment is gone: nothing left to report to.
            sys.__stderr__.write("Stratus runtime: the Runtime API is unreachable (%s); exiting\n" % e)
            os._exit(1)

    def _read_response(self):
        while b"\r\n\r\n" not in self._buffer:
            self._receive()
        head, _, self._buffer = self._buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = _Headers()
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("Content-Length", "0"))
        while len(self._buffer) < length:
            self._receive()
        body, self._buffer = self._buffer[:length], self._buffer[length:]
        if headers.get("Connection", "").lower() == "close":
            self._sock.close()
            self._sock = None
            self._buffer = b""
        return _Response(status, headers), body

    def _receive(self):
        chunk = self._sock.recv(1 << 20)
        if not chunk:
            raise OSError("connection closed")
        self._buffer += chunk

    _NEXT = ("GET", "/2018-06-01/runtime/invocation/next")

    def next(self, after=None):
        """The next event. `after`, a result to post first, goes out in the
        same write; Stratus answers it together with the next event, so the
        process wakes once per invocation."""
        return self._call(after, self._NEXT) if after else self._call(self._NEXT)

    @staticmethod
    def response(request_id, body, content_type):
        return (
            "POST",
            "/2018-06-01/runtime/invocation/%s/response" % request_id,
            body,
            {"Content-Type": content_type},
        )

    @staticmethod
    def error(request_id, document):
        return _RuntimeApi._error("/2018-06-01/runtime/invocation/%s/error" % request_id, document)

    def post_init_error(self, document):
        self._call(self._error("/2018-06-01/runtime/init/error", document))

    @staticmethod
    def _error(path, document):
        return (
            "POST",
            path,
            _to_json(document).encode("utf-8"),
            {
                "Content-Type": "application/json",
                "Lambda-Runtime-Function-Error-Type": document.get("errorType", ""),
            },
        )


class _Headers(dict):
    """Header names compared without regard to case."""

    def get(self, name, default=None):
        return dict.get(self, name.lower(), default)


class _Encoder(json.JSONEncoder):
    """Decimals (as boto3's DynamoDB resource returns numbers) become numbers."""

    def default(self, obj):
        decimal = sys.modules.get("decimal")
        if decimal is not None and isinstance(obj, decimal.Decimal):
            if obj.is_nan():
                return float("nan")
            return int(obj) if obj == obj.to_integral_value() else float(obj)
        return super().default(obj)


def _to_json(obj):
    return json.dumps(obj, cls=_Encoder, ensure_ascii=False, allow_nan=True)


def _error_document(message, error_type, stack_trace, request_id=None):
    return {
        "errorMessage": message if message else "",
        "errorType": error_type if error_type else "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def _user_frames(tb):
    import traceback

    frames = traceback.extract_tb(tb)
    for i, frame in enumerate(frames):
        if not frame.filename.endswith("/bootstrap.py"):
            return traceback.format_list(frames[i:])
    return []


def _log_error(document):
    """As AWS's runtime logs it: one event, lines joined by \\r."""
    line = "[ERROR]"
    if document.get("errorType"):
        line += " " + document["errorType"]
    if document.get("errorMessage"):
        if document.get("errorType"):
            line += ":"
        line += " " + document["errorMessage"]
    lines = [line]
    if document.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in document["stackTrace"]:
            for trace_line in element.splitlines() or [""]:
                stripped = trace_line.lstrip(" ")
                lines.append("\u00a0" * (len(trace_line) - len(stripped)) + stripped)
    sys.stdout.write("\r".join(lines) + "\n")


def _load_handler(handler):
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        raise _Fault("Runtime.MalformedHandlerName", "Bad handler '{}': {}".format(handler, e))
    try:
        if module_name.split(".")[0] in sys.builtin_module_names:
            raise _Fault(
                "Runtime.BuiltInModuleConflict",
                "Cannot use built-in module {} as a handler module".format(module_name),
            )
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as e:
        raise _Fault(
            "Runtime.ImportModuleError",
            "Unable to import module '{}': {}".format(module_name, e),
        )
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise _Fault(
            "Runtime.UserCodeSyntaxError",
            "Syntax error in module '{}': {}".format(module_name, e),
            trace,
        )
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise _Fault(
            "Runtime.HandlerNotFound",
            "Handler '{}' missing on module '{}'".format(function_name, module_name),
        )


class _Identity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class _Client:
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class _ClientContext:
    __slots__ = ["custom", "env", "client"]


def _object_from(cls, values):
    if values is None:
        return None
    obj = cls()
    for slot in cls.__slots__:
        setattr(obj, slot, values.get(slot))
    return obj


class LambdaContext:
    def __init__(self, request_id, client_context, identity, deadline_ms, function_arn):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = function_arn
        self.client_context = _object_from(_ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _object_from(_Client, self.client_context.client)
        self.identity = _object_from(_Identity, {})
        if identity is not None:
            self.identity.cognito_identity_id = identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        remaining = self._deadline_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def log(self, message):
        sys.stdout.write(str(message))


def _json_header(value, name):
    if not value:
        return None
    try:
        return json.loads(value)
    except Exception as e:
        raise _Fault(
            "Runtime.LambdaContextUnmarshalError", "Unable to parse {} JSON: {}".format(name, e)
        )


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id or ""
        return True


class _StdoutHandler(logging.Handler):
    def emit(self, record):
        sys.stdout.write(self.format(record))


def _setup_logging():
    logging.Formatter.converter = time.gmtime
    handler = _StdoutHandler()
    handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
            "%Y-%m-%dT%H:%M:%S",
        )
    )
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
    if level in logging._nameToLevel:
        root.setLevel(level)


def _handle(handler, response, body):
    """Runs one invocation; returns the request that reports its result."""
    global _request_id
    headers = response.headers
    request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
    _request_id = request_id
    trace_id = headers.get("Lambda-Runtime-Trace-Id")
    if trace_id:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)
    try:
        context = LambdaContext(
            request_id,
            _json_header(headers.get("Lambda-Runtime-Client-Context"), "Client Context"),
            _json_header(headers.get("Lambda-Runtime-Cognito-Identity"), "Cognito Identity"),
            int(headers.get("Lambda-Runtime-Deadline-Ms", "0")),
            headers.get("Lambda-Runtime-Invoked-Function-Arn"),
        )
        try:
            event = json.loads(body)
        except Exception as e:
            raise _Fault("Runtime.UnmarshalError", "Unable to unmarshal input: {}".format(e))
        result = handler(event, context)
        if isinstance(result, bytes):
            payload, content_type = result, "application/unknown"
        else:
            try:
                payload, content_type = _to_json(result).encode("utf-8"), "application/json"
            except Exception as e:
                raise _Fault("Runtime.MarshalError", "Unable to marshal response: {}".format(e))
    except _Fault as fault:
        document = _error_document(fault.message, fault.error_type, fault.trace, request_id)
    except Exception:
        error_type, value, tb = sys.exc_info()
        document = _error_document(str(value), error_type.__name__, _user_frames(tb), request_id)
    else:
        return _RuntimeApi.response(request_id, payload, content_type)
    _log_error(document)
    return _RuntimeApi.error(request_id, document)


def main():
    sys.stdout = _Unbuffered(sys.stdout)
    sys.stderr = _Unbuffered(sys.stderr)
    api = _RuntimeApi(os.environ.get("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"))
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    if task_root not in sys.path:
        sys.path.insert(0, task_root)

    try:
        _setup_logging()
        handler = _load_handler(os.environ.get("_HANDLER", ""))
    except _Fault as fault:
        document = _error_document(fault.message, fault.error_type, fault.trace)
    except Exception:
        error_type, value, tb = sys.exc_info()
        document = _error_document(str(value), error_type.__name__, _user_frames(tb))
    else:
        document = None
    if document is not None:
        _log_error(document)
        api.post_init_error(document)
        sys.exit(1)

    result = None
    while True:
        response, body = api.next(after=result)
        if response.status != 200:
            sys.__stderr__.write("Stratus runtime: next answered %d; exiting\n" % response.status)
            os._exit(1)
        result = _handle(handler, response, body)


if __name__ == "__main__":
    main()
