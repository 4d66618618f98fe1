"""Seeds a real MLflow basic-auth server with users and permissions through its own client; prints JSON.

Used by test/integration/import-mlflow-auth*.test.ts. `roles` mode talks to MLflow 3.18.0, whose
auth app stores per-user grants in synthetic roles and named roles in role_permissions; `classic`
talks to MLflow 2.22.5, which writes experiment_permissions and registered_model_permissions.
The admin's credentials come from MLFLOW_TRACKING_USERNAME/PASSWORD.
"""
import json
import sys

import mlflow
from mlflow import MlflowClient
from mlflow.server import get_app_client


def main(tracking_uri, mode):
    mlflow.set_tracking_uri(tracking_uri)
    auth = get_app_client("basic-auth", tracking_uri=tracking_uri)
    client = MlflowClient()
    auth.create_user("alice", "alice-password-1")
    auth.create_user("bob", "bob-password-12")
    auth.update_user_admin("bob", True)
    auth.create_user("carol", "carol-password-1")
    ids = {name: client.create_experiment(name) for name in ("team-a", "secret", "open")}
    client.create_registered_model("model-a")
    if mode == "roles":
        auth.grant_user_permission("alice", "experiment", ids["team-a"], "EDIT")
        auth.grant_user_permission("alice", "experiment", ids["secret"], "DENY")
        auth.grant_user_permission("alice", "registered_model", "model-a", "READ")
        role = auth.create_role("default", "readers", "reads every experiment")
        auth.add_role_permission(role.id, "experiment", "*", "READ")
        auth.add_role_permission(role.id, "scorer", "*", "READ")
        auth.assign_role("alice", role.id)
    else:
        auth.create_experiment_permission(ids["team-a"], "alice", "EDIT")
        auth.create_experiment_permission(ids["secret"], "alice", "NO_PERMISSIONS")
        auth.create_experiment_permission(ids["open"], "alice", "READ")
        auth.create_registered_model_permission("model-a", "alice", "READ")
    # Werkzeug 2.x (MLflow 2.x's era) hashed with pbkdf2:sha256; this venv's Werkzeug 3 writes scrypt.
    # The test puts this real Werkzeug pbkdf2 hash of alice's password in place to show both work.
    from werkzeug.security import generate_password_hash

    pbkdf2 = generate_password_hash("alice-password-1", method="pbkdf2:sha256")
    print(json.dumps({"experiments": ids, "mlflow": mlflow.__version__, "pbkdf2_alice": pbkdf2}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
