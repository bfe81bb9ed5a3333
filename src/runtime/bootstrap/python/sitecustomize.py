"""Loaded by every Python function's interpreter (PYTHONPATH): makes boto3 and
botocore send requests to Stratus. botocore before 1.31.63 (Debian 12 has
1.29) ignores AWS_ENDPOINT_URL, so clients created without an endpoint_url
get that one. botocore is patched when the function imports it, never
before: importing it costs tens of milliseconds."""

import os
import sys

_ENDPOINT = os.environ.get("AWS_ENDPOINT_URL")


def _patch(session_module):
    original = session_module.Session.create_client

    def create_client(self, *args, **kwargs):
        # endpoint_url is the 6th positional parameter (after service_name,
        # region_name, api_version, use_ssl, verify).
        if kwargs.get("endpoint_url") is None and len(args) < 6:
            kwargs["endpoint_url"] = _ENDPOINT
        return original(self, *args, **kwargs)

    session_module.Session.create_client = create_client


class _BotocoreSessionHook:
    """A meta path finder that patches botocore.session right after it loads."""

    def find_spec(self, name, path=None, target=None):
        if name != "botocore.session":
            return None
        sys.meta_path.remove(self)
        try:
            import importlib.util

            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original_exec = loader.exec_module

        def exec_module(module):
            original_exec(module)
            _patch(module)

        loader.exec_module = exec_module
        return spec


if _ENDPOINT:
    sys.meta_path.insert(0, _BotocoreSessionHook())

# Debian's own sitecustomize (if any) still runs.
try:
    import importlib.util as _util

    _here = os.path.dirname(os.path.abspath(__file__))
    for _dir in sys.path:
        if _dir and os.path.abspath(_dir) != _here:
            _candidate = os.path.join(_dir, "sitecustomize.py")
            if os.path.isfile(_candidate):
                _spec = _util.spec_from_file_location("_system_sitecustomize", _candidate)
                _spec.loader.exec_module(_util.module_from_spec(_spec))
                break
except Exception:
    pass
