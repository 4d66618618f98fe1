"""MLflow 2.x's auth client (get_app_client("basic-auth"), run with the 2.22.5 venv) and its
per-resource permission methods through MLFLOW_TRACKING_URI, as the admin the environment names;
prints every step's outcome as JSON.

Run by test/integration/mlflow-auth-compat.test.ts against the gateway and against MLflow 2.22.5's
own basic-auth server (default_permission NO_PERMISSIONS): the outcomes must be the same. MLflow
3.18.0 no longer serves these routes (its client grants with users/permissions/*).
"""
import json
import os
import sys
from contextlib import contextmanager

from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from mlflow.server import get_app_client

URI = os.environ["MLFLOW_TRACKING_URI"]
ADMIN = (os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"])
ALICE = ["alice", "alice-password-1"]
BOB = ["bob", "bob-password-12"]

outcomes = {}


@contextmanager
def signed_in(user, password):
    saved = (os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"])
    os.environ["MLFLOW_TRACKING_USERNAME"] = user
    os.environ["MLFLOW_TRACKING_PASSWORD"] = password
    try:
        yield
    finally:
        os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"] = saved


def step(name, fn, who=None):
    with signed_in(*(who or ADMIN)):
        try:
            outcomes[name] = {"ok": fn()}
        except MlflowException as e:
            outcomes[name] = {"error": e.error_code}


def user_fields(user):
    return {
        "username": user.username,
        "is_admin": user.is_admin,
        "experiment_permissions": sorted(
            [p.experiment_id == EXP, p.permission] for p in user.experiment_permissions
        ),
        "registered_model_permissions": sorted(
            [p.name, p.permission] for p in user.registered_model_permissions
        ),
    }


def exp_perm(p):
    return {"this_experiment": p.experiment_id == EXP, "permission": p.permission}


def model_perm(p):
    return {"name": p.name, "permission": p.permission}


EXP = None


def main():
    global EXP
    auth = get_app_client("basic-auth", tracking_uri=URI)
    tracking = MlflowClient()
    with signed_in(*ADMIN):
        EXP = tracking.create_experiment("compat-exp-2x")
        tracking.create_registered_model("compat-model-2x")
    read_exp = lambda: tracking.get_experiment(EXP).name  # noqa: E731
    tag_exp = lambda: tracking.set_experiment_tag(EXP, "k", "v")  # noqa: E731
    read_model = lambda: tracking.get_registered_model("compat-model-2x").name  # noqa: E731

    step("create_user", lambda: user_fields(auth.create_user(*ALICE)))
    step("create_user_bob", lambda: user_fields(auth.create_user(*BOB)))
    step("create_user_again", lambda: auth.create_user(*ALICE))

    # Experiment permissions: create, read back, update, delete; each one felt by alice.
    step("alice_reads_before", read_exp, ALICE)
    step("create_exp_perm", lambda: exp_perm(auth.create_experiment_permission(EXP, "alice", "READ")))
    step("create_exp_perm_again", lambda: auth.create_experiment_permission(EXP, "alice", "READ"))
    step("get_exp_perm", lambda: exp_perm(auth.get_experiment_permission(EXP, "alice")))
    step("alice_reads", read_exp, ALICE)
    step("alice_tags_with_read", tag_exp, ALICE)
    step("update_exp_perm", lambda: auth.update_experiment_permission(EXP, "alice", "EDIT"))
    step("get_exp_perm_updated", lambda: exp_perm(auth.get_experiment_permission(EXP, "alice")))
    step("alice_tags_with_edit", tag_exp, ALICE)
    step("user_lists_exp_perm", lambda: user_fields(auth.get_user("alice")))
    step("delete_exp_perm", lambda: auth.delete_experiment_permission(EXP, "alice"))
    step("delete_exp_perm_again", lambda: auth.delete_experiment_permission(EXP, "alice"))
    step("get_exp_perm_deleted", lambda: auth.get_experiment_permission(EXP, "alice"))
    step("update_exp_perm_deleted", lambda: auth.update_experiment_permission(EXP, "alice", "READ"))
    step("alice_reads_after_delete", read_exp, ALICE)

    # NO_PERMISSIONS, bad permissions, missing users.
    step(
        "create_no_permissions",
        lambda: exp_perm(auth.create_experiment_permission(EXP, "alice", "NO_PERMISSIONS")),
    )
    step("get_no_permissions", lambda: exp_perm(auth.get_experiment_permission(EXP, "alice")))
    step("alice_reads_no_permissions", read_exp, ALICE)
    step("delete_no_permissions", lambda: auth.delete_experiment_permission(EXP, "alice"))
    step("create_bogus_permission", lambda: auth.create_experiment_permission(EXP, "alice", "BOGUS"))
    step("create_for_missing_user", lambda: auth.create_experiment_permission(EXP, "nobody", "READ"))
    step("get_for_missing_user", lambda: auth.get_experiment_permission(EXP, "nobody"))

    # MANAGE lets its holder manage the experiment's permissions; without it she may not.
    step(
        "alice_grants_without_manage",
        lambda: auth.create_experiment_permission(EXP, "bob", "READ"),
        ALICE,
    )
    step("grant_alice_manage", lambda: exp_perm(auth.create_experiment_permission(EXP, "alice", "MANAGE")))
    step(
        "alice_grants_bob",
        lambda: exp_perm(auth.create_experiment_permission(EXP, "bob", "READ")),
        ALICE,
    )
    step("alice_reads_bobs", lambda: exp_perm(auth.get_experiment_permission(EXP, "bob")), ALICE)
    step("bob_reads", read_exp, BOB)
    step("alice_deletes_bobs", lambda: auth.delete_experiment_permission(EXP, "bob"), ALICE)
    step("bob_reads_after_delete", read_exp, BOB)
    step("delete_alice_manage", lambda: auth.delete_experiment_permission(EXP, "alice"))

    # Registered-model permissions.
    step("alice_reads_model_before", read_model, ALICE)
    step(
        "create_model_perm",
        lambda: model_perm(auth.create_registered_model_permission("compat-model-2x", "alice", "READ")),
    )
    step(
        "create_model_perm_again",
        lambda: auth.create_registered_model_permission("compat-model-2x", "alice", "READ"),
    )
    step(
        "get_model_perm",
        lambda: model_perm(auth.get_registered_model_permission("compat-model-2x", "alice")),
    )
    step("alice_reads_model", read_model, ALICE)
    step(
        "alice_updates_model_with_read",
        lambda: tracking.update_registered_model("compat-model-2x", "x").description,
        ALICE,
    )
    step(
        "update_model_perm",
        lambda: auth.update_registered_model_permission("compat-model-2x", "alice", "EDIT"),
    )
    step(
        "alice_updates_model_with_edit",
        lambda: tracking.update_registered_model("compat-model-2x", "by alice").description,
        ALICE,
    )
    step("user_lists_model_perm", lambda: user_fields(auth.get_user("alice")))
    step(
        "delete_model_perm",
        lambda: auth.delete_registered_model_permission("compat-model-2x", "alice"),
    )
    step(
        "delete_model_perm_again",
        lambda: auth.delete_registered_model_permission("compat-model-2x", "alice"),
    )
    step("alice_reads_model_after_delete", read_model, ALICE)
    step(
        "alice_grants_model_without_manage",
        lambda: auth.create_registered_model_permission("compat-model-2x", "bob", "READ"),
        ALICE,
    )

    # Users, as the 2.x client calls them.
    step("get_user_missing", lambda: auth.get_user("nobody"))
    step("alice_gets_bob", lambda: auth.get_user("bob"), ALICE)
    step("make_alice_admin", lambda: auth.update_user_admin("alice", True))
    step("alice_is_admin", lambda: user_fields(auth.get_user("alice")))
    step("set_bob_password", lambda: auth.update_user_password("bob", "bob-password-13"))
    step("bob_old_password", read_exp, BOB)
    step("delete_bob", lambda: auth.delete_user("bob"))
    step("get_deleted_bob", lambda: auth.get_user("bob"))

    print(json.dumps(outcomes))


if __name__ == "__main__":
    main()
    sys.exit(0)
