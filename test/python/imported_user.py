"""Signs in through MLFLOW_TRACKING_URI as MLFLOW_TRACKING_USERNAME/PASSWORD and tries what an imported user may do; prints JSON.

Used by test/integration/import-mlflow-auth*.test.ts: the users and permissions came from MLflow's
own auth database, and their passwords must work unchanged through the gateway.
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


def main(team_a, secret, open_):
    client = MlflowClient()
    out = {
        "search": attempt(lambda: None),
        "get_team_a": attempt(lambda: client.get_experiment(team_a)),
        "get_secret": attempt(lambda: client.get_experiment(secret)),
        "get_open": attempt(lambda: client.get_experiment(open_)),
        "get_model": attempt(lambda: client.get_registered_model("model-a")),
        "run_in_team_a": attempt(lambda: client.create_run(team_a)),
        "tag_open": attempt(lambda: client.set_experiment_tag(open_, "k", "v")),
    }
    try:
        out["search"] = sorted(e.name for e in client.search_experiments())
    except MlflowException as e:
        out["search"] = e.error_code
    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:4])
