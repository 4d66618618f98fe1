"""Reads artifact paths and URIs the way MLflow 3.18.0 does; prints JSON.

Used by test/integration/artifacts-paths.test.ts to check the gateway's reading against MLflow's
own functions: `validate_path_is_safe` (mlflow/utils/uri.py) for paths, and
`_is_servable_proxied_run_artifact_root` + `_get_proxied_run_artifact_destination_path`
(mlflow/server/handlers.py) for artifact locations, normalised as the local store does.
"""
import json
import posixpath
import sys
import urllib.parse

from mlflow.server.handlers import _get_proxied_run_artifact_destination_path
from mlflow.utils.uri import validate_path_is_safe


def path_result(path):
    try:
        return validate_path_is_safe(path)
    except Exception:
        return None


def uri_result(uri):
    try:
        parsed = urllib.parse.urlparse(uri)
    except ValueError:
        return None
    if parsed.scheme not in ("http", "https", "mlflow-artifacts"):
        return None
    if parsed.scheme != "mlflow-artifacts" and "/api/2.0/mlflow-artifacts/artifacts/" not in parsed.path:
        return None
    path = _get_proxied_run_artifact_destination_path(uri)
    normal = posixpath.normpath(path) if path else ""
    if normal in (".", ""):
        return []
    if normal == ".." or normal.startswith("../"):
        return None
    return [s for s in normal.split("/") if s]


def main(file):
    with open(file) as f:
        given = json.load(f)
    print(json.dumps({
        "paths": [path_result(p) for p in given["paths"]],
        "uris": [uri_result(u) for u in given["uris"]],
    }))


if __name__ == "__main__":
    main(sys.argv[1])
