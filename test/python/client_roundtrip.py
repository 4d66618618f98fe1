"""Drives the real MLflow Python client against MLFLOW_TRACKING_URI: writes, reads back, prints JSON.

Used by test/integration/mlflow-client.test.ts with the URI pointing at the gateway; the test then
compares what this script saw with what MLflow itself stored.
"""
import hashlib
import json
import os
import sys
import tempfile

import mlflow
from mlflow import MlflowClient

ARTIFACT_MB = int(os.environ.get("ARTIFACT_MB", "50"))


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main(suffix):
    client = MlflowClient()
    exp_name = f"roundtrip-{suffix}"
    exp_id = client.create_experiment(exp_name)
    run = client.create_run(exp_id, tags={"purpose": "gateway-roundtrip"})
    run_id = run.info.run_id
    client.log_param(run_id, "alpha", "0.5")
    client.log_param(run_id, "layers", "3")
    for step in range(5):
        client.log_metric(run_id, "loss", 1.0 / (step + 1), step=step)
    client.log_batch(run_id, metrics=[mlflow.entities.Metric("acc", 0.9, 0, 0)])

    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "weights.bin")
        with open(src, "wb") as f:
            for _ in range(ARTIFACT_MB):
                f.write(os.urandom(1 << 20))
        uploaded_sha = sha256_of(src)
        client.log_artifact(run_id, src, artifact_path="model-files")
        client.set_terminated(run_id)

        model_name = f"roundtrip-model-{suffix}"
        client.create_registered_model(model_name, description="through the gateway")
        version = client.create_model_version(
            model_name, source=f"runs:/{run_id}/model-files", run_id=run_id
        )
        client.set_registered_model_alias(model_name, "champion", version.version)

        # Read everything back through the same URI.
        got_run = client.get_run(run_id)
        listed = client.list_artifacts(run_id, "model-files")
        dest = client.download_artifacts(run_id, "model-files/weights.bin", tmp + "/down")
        got_model = client.get_registered_model(model_name)
        got_version = client.get_model_version_by_alias(model_name, "champion")
        history = client.get_metric_history(run_id, "loss")

        print(
            json.dumps(
                {
                    "experiment_id": exp_id,
                    "experiment_name": client.get_experiment(exp_id).name,
                    "run_id": run_id,
                    "status": got_run.info.status,
                    "params": got_run.data.params,
                    "metrics": got_run.data.metrics,
                    "loss_history": [[m.step, m.value] for m in history],
                    "artifacts": [[a.path, a.file_size] for a in listed],
                    "uploaded_sha256": uploaded_sha,
                    "downloaded_sha256": sha256_of(dest),
                    "artifact_bytes": ARTIFACT_MB << 20,
                    "model_name": got_model.name,
                    "model_description": got_model.description,
                    "model_version": got_version.version,
                    "model_version_run_id": got_version.run_id,
                }
            )
        )


if __name__ == "__main__":
    main(sys.argv[1])
