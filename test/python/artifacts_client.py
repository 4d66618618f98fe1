"""Lists, downloads and logs run artifacts through MLFLOW_TRACKING_URI as whoever the environment says; prints JSON.

Used by test/integration/artifacts-access.test.ts: the real client goes through the
mlflow-artifacts routes (list with `path=<experiment>/<run>/artifacts`, GET and PUT of files), so
the gateway's path mapping is exercised exactly as users meet it.
"""
import json
import os
import sys
import tempfile

from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from requests.exceptions import HTTPError


def attempt(fn):
    """The result, or how the client failed: MLflow's error code, or the HTTP status of an upload."""
    try:
        return fn()
    except MlflowException as e:
        return e.error_code
    except HTTPError as e:
        return f"HTTP {e.response.status_code}"


def read(client, run_id, name):
    with tempfile.TemporaryDirectory() as d:
        with open(client.download_artifacts(run_id, name, d)) as f:
            return f.read()


def log(client, run_id):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "from-client.txt")
        with open(path, "w") as f:
            f.write("logged by the client")
        client.log_artifact(run_id, path)
    return "OK"


def main(run_a, run_c, run_b):
    client = MlflowClient()
    names = lambda run_id: sorted(f.path for f in client.list_artifacts(run_id))
    seen = {
        "list_a": attempt(lambda: names(run_a)),
        "download_a": attempt(lambda: read(client, run_a, "hello.txt")),
        "list_c": attempt(lambda: names(run_c)),
        "download_c": attempt(lambda: read(client, run_c, "hello.txt")),
        "list_b": attempt(lambda: names(run_b)),
        "download_b": attempt(lambda: read(client, run_b, "hello.txt")),
        "log_a": attempt(lambda: log(client, run_a)),
        "log_b": attempt(lambda: log(client, run_b)),
    }
    print(json.dumps(seen))


if __name__ == "__main__":
    main(*sys.argv[1:4])
