"""Reads an experiment and tries to log a metric through MLFLOW_TRACKING_URI as the environment says; prints JSON.

Used by test/integration/admin-api-mlflow.test.ts to show API tokens work with the real MLflow
Python client both as MLFLOW_TRACKING_TOKEN (Bearer) and as MLFLOW_TRACKING_PASSWORD (Basic), and
that a read-only token reads but cannot write.
"""
import json
import sys

from mlflow import MlflowClient
from mlflow.exceptions import MlflowException


def attempt(fn):
    try:
        return fn()
    except MlflowException as e:
        return e.error_code


def main(experiment_id, run_id, value):
    client = MlflowClient()
    seen = {
        "experiment": attempt(lambda: client.get_experiment(experiment_id).name),
        "log_metric": attempt(lambda: client.log_metric(run_id, "loss", float(value)) or "OK"),
    }
    print(json.dumps(seen))


if __name__ == "__main__":
    main(*sys.argv[1:4])
