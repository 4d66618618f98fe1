"""Logs a model as one user and registers it as another through MLFLOW_TRACKING_URI; prints JSON.

Used by test/integration/model-version-sources.test.ts. argv: registered model name, the
experiment to log into, a run of another experiment, the logging user, the registering user
(passwords in env as <USER>_PASSWORD). The registering user's `register_model` is the real flow:
`registered-models/create` (expected to answer RESOURCE_ALREADY_EXISTS), then the version from the
run's logged model; `create_model_version` with another experiment's run as the source must fail.
"""
import json
import os
import sys

import mlflow
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException


class Echo(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input):
        return model_input


def as_user(user):
    os.environ["MLFLOW_TRACKING_USERNAME"] = user
    os.environ["MLFLOW_TRACKING_PASSWORD"] = os.environ[f"{user.upper()}_PASSWORD"]


def attempt(fn):
    """The new version's number, or MLflow's error code."""
    try:
        return str(fn().version)
    except MlflowException as e:
        return e.error_code


name, experiment_id, other_run, logger, registrar = sys.argv[1:6]
as_user(logger)
with mlflow.start_run(experiment_id=experiment_id) as run:
    mlflow.pyfunc.log_model(name="model", python_model=Echo(), pip_requirements=[])
as_user(registrar)
client = MlflowClient()
print(
    json.dumps(
        {
            "register": attempt(lambda: mlflow.register_model(f"runs:/{run.info.run_id}/model", name)),
            "create_from_other": attempt(
                lambda: client.create_model_version(
                    name, f"runs:/{other_run}/model", run_id=other_run
                )
            ),
        }
    )
)
