"""Fills a new SQLite MLflow store with N experiments for the filtered-search bench; prints one JSON line.

Usage: python seed-experiments.py DB_PATH N

Goes through MLflow's own tracking store (SqlAlchemyStore.create_experiment, the function the
server's _create_experiment handler calls in mlflow/server/handlers.py), with the artifact root an
`mlflow server --serve-artifacts` uses, so every row is what the REST API would have written. Only
two things differ from a server: no HTTP, and SQLite's `synchronous` is OFF while seeding (a crash
would leave a half-written file, which the caller discards anyway); that makes it ~2x faster.
Experiment ids come out as 1..N in creation order (0 is MLflow's Default experiment).
"""

import json
import sqlite3
import sys
import time

from sqlalchemy import event

from mlflow.entities import ExperimentTag
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore


def main(db_path: str, count: int) -> None:
    t0 = time.monotonic()
    store = SqlAlchemyStore(f"sqlite:///{db_path}", "mlflow-artifacts:/")

    @event.listens_for(store.engine, "connect")
    def _fast_writes(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA synchronous=OFF")

    store.engine.dispose()  # reconnect, so the pragma applies to every connection from here on
    t1 = time.monotonic()
    for i in range(1, count + 1):
        # Two tags each, as real experiments carry a few: they are part of every search answer.
        store.create_experiment(
            f"bench-exp-{i:05d}",
            tags=[ExperimentTag("team", f"team-{i % 20}"), ExperimentTag("project", f"p-{i % 97}")],
        )
    store.engine.dispose()
    t2 = time.monotonic()
    with sqlite3.connect(db_path) as db:
        ids = [row[0] for row in db.execute("SELECT experiment_id FROM experiments ORDER BY 1")]
    if ids != list(range(0, count + 1)):
        raise SystemExit(f"expected experiment ids 0..{count}, got {len(ids)} ids up to {ids[-1]}")
    print(json.dumps({"experiments": count, "initSeconds": t1 - t0, "createSeconds": t2 - t1}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
