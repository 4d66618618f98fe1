"""MLflow's auth client (get_app_client("basic-auth")) through MLFLOW_TRACKING_URI, as the admin the
environment names; prints every step's outcome as JSON.

Run by test/integration/mlflow-auth-compat.test.ts against the gateway and against MLflow's own
basic-auth server (default_permission NO_PERMISSIONS, so only grants give access): the outcomes
must be the same. Steps record what the client sees (values, or the MlflowException error code),
never ids, which differ between servers. The users' passwords are the script's own.
"""
import json
import os
import sys
from contextlib import contextmanager

import requests
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
    """Runs fn as `who` (user, password) or the admin; records its value or error code."""
    with signed_in(*(who or ADMIN)):
        try:
            outcomes[name] = {"ok": fn()}
        except MlflowException as e:
            outcomes[name] = {"error": e.error_code}


def user_fields(user):
    return {"username": user.username, "is_admin": user.is_admin}


def perm_fields(result):
    return {"allowed": result.allowed, "permission": result.permission}


def current_user(who):
    res = requests.get(f"{URI}/ajax-api/2.0/mlflow/users/current", auth=tuple(who), timeout=60)
    body = res.json() if res.status_code == 200 else None
    return {
        "status": res.status_code,
        "user": body and {k: body["user"][k] for k in ("username", "is_admin")},
        "is_basic_auth": body and body["is_basic_auth"],
    }


def main():
    auth = get_app_client("basic-auth", tracking_uri=URI)
    tracking = MlflowClient()
    with signed_in(*ADMIN):
        exp = tracking.create_experiment("compat-exp")
        other_exp = tracking.create_experiment("compat-other")
        tracking.create_registered_model("compat-model")
    read_exp = lambda e=exp: tracking.get_experiment(e).name  # noqa: E731
    tag_exp = lambda: tracking.set_experiment_tag(exp, "k", "v")  # noqa: E731
    read_model = lambda: tracking.get_registered_model("compat-model").name  # noqa: E731

    # Users.
    step("create_user", lambda: user_fields(auth.create_user(*ALICE)))
    step("create_user_again", lambda: auth.create_user(*ALICE))
    step("create_user_short_password", lambda: auth.create_user("bob", "short"))
    step("create_user_bob", lambda: user_fields(auth.create_user(*BOB)))
    step("get_user", lambda: user_fields(auth.get_user("alice")))
    step("get_user_missing", lambda: auth.get_user("nobody"))
    step("get_self_as_alice", lambda: user_fields(auth.get_user("alice")), ALICE)
    step("current_user_as_alice", lambda: current_user(ALICE))

    # An experiment grant opens the experiment to her and revoking it closes it again.
    step("alice_reads_before_grant", read_exp, ALICE)
    step("grant_read", lambda: auth.grant_user_permission("alice", "experiment", exp, "READ"))
    step("grant_read_again", lambda: auth.grant_user_permission("alice", "experiment", exp, "READ"))
    step("check_read", lambda: perm_fields(auth.get_user_permission("alice", "experiment", exp)))
    step("alice_reads_after_grant", read_exp, ALICE)
    step("alice_tags_with_read", tag_exp, ALICE)
    step("revoke_read", lambda: auth.revoke_user_permission("alice", "experiment", exp))
    step("revoke_read_again", lambda: auth.revoke_user_permission("alice", "experiment", exp))
    step("alice_reads_after_revoke", read_exp, ALICE)
    step(
        "check_unknown_experiment",
        lambda: perm_fields(auth.get_user_permission("alice", "experiment", "987654")),
    )

    # Registered models.
    step("alice_reads_model_before_grant", read_model, ALICE)
    step(
        "grant_model_edit",
        lambda: auth.grant_user_permission("alice", "registered_model", "compat-model", "EDIT"),
    )
    step(
        "check_model_edit",
        lambda: perm_fields(
            auth.get_user_permission("alice", "registered_model", "compat-model")
        ),
    )
    step("alice_reads_model", read_model, ALICE)
    step(
        "alice_updates_model",
        lambda: tracking.update_registered_model("compat-model", "by alice").description,
        ALICE,
    )
    step("alice_deletes_model", lambda: tracking.delete_registered_model("compat-model"), ALICE)
    step(
        "revoke_model",
        lambda: auth.revoke_user_permission("alice", "registered_model", "compat-model"),
    )
    step("alice_reads_model_after_revoke", read_model, ALICE)

    # What a user who is not an admin may not do.
    step("alice_creates_user", lambda: auth.create_user("carol", "carol-password-1"), ALICE)
    step("alice_gets_bob", lambda: auth.get_user("bob"), ALICE)
    step("alice_makes_herself_admin", lambda: auth.update_user_admin("alice", True), ALICE)
    step("alice_deletes_bob", lambda: auth.delete_user("bob"), ALICE)
    step(
        "alice_changes_bobs_password",
        lambda: auth.update_user_password("bob", "hijacked-password"),
        ALICE,
    )
    step(
        "alice_grants_herself_manage",
        lambda: auth.grant_user_permission("alice", "experiment", exp, "MANAGE"),
        ALICE,
    )
    step(
        "alice_checks_bob",
        lambda: auth.get_user_permission("bob", "experiment", exp),
        ALICE,
    )
    step(
        "alice_grants_everything",
        lambda: auth.grant_user_permission("alice", "experiment", "*", "READ"),
        ALICE,
    )

    # MANAGE on an experiment lets its holder hand out and take back rights on it (and only it).
    step("grant_manage", lambda: auth.grant_user_permission("alice", "experiment", exp, "MANAGE"))
    step(
        "alice_grants_bob",
        lambda: auth.grant_user_permission("bob", "experiment", exp, "READ"),
        ALICE,
    )
    step("bob_reads", read_exp, BOB)
    step(
        "alice_grants_bob_elsewhere",
        lambda: auth.grant_user_permission("bob", "experiment", other_exp, "READ"),
        ALICE,
    )
    step(
        "alice_revokes_bob",
        lambda: auth.revoke_user_permission("bob", "experiment", exp),
        ALICE,
    )
    step("bob_reads_after_revoke", read_exp, BOB)

    # DENY, and what the per-user routes refuse.
    step("grant_deny", lambda: auth.grant_user_permission("bob", "experiment", exp, "DENY"))
    step("check_deny", lambda: perm_fields(auth.get_user_permission("bob", "experiment", exp)))
    step("bob_reads_denied", read_exp, BOB)
    step("revoke_deny", lambda: auth.revoke_user_permission("bob", "experiment", exp))
    step(
        "grant_no_permissions",
        lambda: auth.grant_user_permission("bob", "experiment", exp, "NO_PERMISSIONS"),
    )
    step(
        "grant_unknown_user",
        lambda: auth.grant_user_permission("nobody", "experiment", exp, "READ"),
    )
    step(
        "grant_workspace",
        lambda: auth.grant_user_permission("bob", "workspace", "*", "USE"),
    )
    step("grant_bogus_type", lambda: auth.grant_user_permission("bob", "bogus", "1", "READ"))

    # A grant on every experiment.
    step("grant_all", lambda: auth.grant_user_permission("bob", "experiment", "*", "READ"))
    step("bob_reads_other", lambda: read_exp(other_exp), BOB)
    step("revoke_all", lambda: auth.revoke_user_permission("bob", "experiment", "*"))
    step("bob_reads_other_after_revoke", lambda: read_exp(other_exp), BOB)

    # Passwords: an admin sets one; a user changes their own only with the current one.
    step("set_alice_password", lambda: auth.update_user_password("alice", "alice-password-2"))
    step("alice_old_password", read_exp, ALICE)
    new_alice = ["alice", "alice-password-2"]
    step("alice_new_password", read_exp, new_alice)
    step(
        "alice_changes_own_without_current",
        lambda: auth.update_user_password("alice", "alice-password-3"),
        new_alice,
    )
    step(
        "alice_changes_own_wrong_current",
        lambda: auth.update_user_password("alice", "alice-password-3", "not-her-password"),
        new_alice,
    )
    step(
        "alice_changes_own_same",
        lambda: auth.update_user_password("alice", "alice-password-2", "alice-password-2"),
        new_alice,
    )
    step(
        "alice_changes_own",
        lambda: auth.update_user_password("alice", "alice-password-3", "alice-password-2"),
        new_alice,
    )
    step("alice_newest_password", read_exp, ["alice", "alice-password-3"])
    step("set_missing_password", lambda: auth.update_user_password("nobody", "x" * 12))
    step("set_short_password", lambda: auth.update_user_password("bob", "short"))

    # Admins.
    newest_alice = ["alice", "alice-password-3"]
    step("make_alice_admin", lambda: auth.update_user_admin("alice", True))
    step("alice_is_admin", lambda: user_fields(auth.get_user("alice")))
    step("alice_as_admin_creates", lambda: user_fields(auth.create_user("carol", "carol-password-1")), newest_alice)
    step("unmake_alice_admin", lambda: auth.update_user_admin("alice", False))
    step("alice_is_not_admin", lambda: user_fields(auth.get_user("alice")))
    step("admin_missing_user", lambda: auth.update_user_admin("nobody", True))

    # Deleting.
    step("delete_bob", lambda: auth.delete_user("bob"))
    step("get_deleted_bob", lambda: auth.get_user("bob"))
    step("deleted_bob_reads", read_exp, BOB)
    step("delete_bob_again", lambda: auth.delete_user("bob"))
    step("admin_deletes_self", lambda: auth.delete_user(ADMIN[0]))

    print(json.dumps(outcomes))


if __name__ == "__main__":
    main()
    sys.exit(0)
