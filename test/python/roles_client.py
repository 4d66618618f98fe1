"""Browses and then tries to write through MLFLOW_TRACKING_URI as whoever the environment says; prints JSON.

Used by test/integration/roles-client.test.ts to show guest and anonymous callers can read but
not create experiments or models, nor log metrics, with the real MLflow Python client.
"""
import json
import sys

from mlflow import MlflowClient
from mlflow.exceptions import MlflowException


def attempt(fn):
    try:
        fn()
        return "OK"
    except MlflowException as e:
        return e.error_code


def main(experiment_id, run_id, model_name):
    client = MlflowClient()
    seen = {
        "experiments": sorted(e.name for e in client.search_experiments()),
        "experiment": client.get_experiment(experiment_id).name,
        "run_metrics": client.get_run(run_id).data.metrics,
        "history": [m.value for m in client.get_metric_history(run_id, "loss")],
        "models": sorted(m.name for m in client.search_registered_models()),
        "model": client.get_registered_model(model_name).name,
    }
    seen["create_experiment"] = attempt(lambda: client.create_experiment("made-by-visitor"))
    seen["create_registered_model"] = attempt(lambda: client.create_registered_model("visitor-model"))
    seen["log_metric"] = attempt(lambda: client.log_metric(run_id, "loss", 99.0, step=9))
    seen["delete_experiment"] = attempt(lambda: client.delete_experiment(experiment_id))
    print(json.dumps(seen))


if __name__ == "__main__":
    main(*sys.argv[1:4])
