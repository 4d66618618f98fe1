"""Prints, as JSON, every (method, path) the installed MLflow server serves, without starting it.

mlflow-gate's endpoint catalogue (src/classify/rows/) must have exactly one row per route MLflow
serves; test/integration/catalogue-coverage.test.ts runs this script with the project venv's
python and compares the two, and test/fixtures/mlflow-routes-<version>.json are saved outputs.

Usage: <venv>/bin/python scripts/dump-mlflow-routes.py > routes.json

How the route table is read (MLflow 3.18.0):
- Flask: `mlflow.server.app` (mlflow/server/__init__.py) registers `handlers.get_endpoints()` plus
  the literal `@app.route`s (health, version, get-artifact, static files, ...) at import time;
  Flask itself adds `<static_url_path>/<path:filename>` for the `js/build` static folder.
- FastAPI: `mlflow.server.fastapi_app.app` (`create_fastapi_app`) includes several APIRouters
  (otel, jobs, gateway, assistant, artifacts, MCP servers, skills, server-info) and then mounts the
  whole Flask app at "/". Starlette tries routes in order, so under uvicorn (the default for
  `mlflow server`) a FastAPI route wins over a Flask route with the same method and path; such
  Flask routes are listed under the FastAPI entry's `shadowed` key. gunicorn/waitress serve the
  Flask app only. MLflow 2.x has no `mlflow.server.fastapi_app`; then only Flask routes are listed.

Output: {"mlflow_version", "counts", "routes": [{"method", "path", "source", "endpoint",
"module", "shadowed"?}]}, routes sorted by path then method, one entry per (method, path).
Paths are templates: Flask `<x>` -> `{x}`, `<path:x>` -> `{x:path}`, other converters `<c:x>` ->
`{x:c}`; FastAPI templates are kept as they are (`{x}`, `{x:path}`).
"""

import contextlib
import json
import os
import re
import shutil
import sys
import tempfile

# Env vars that change the route table or would point MLflow at real data. The static prefix
# (`--static-prefix`, handlers.STATIC_PREFIX_ENV_VAR) prefixes most routes and the Prometheus
# exporter (`--expose-prometheus`) adds /metrics; the dump is of a default server, so both are
# removed.
_ROUTE_CHANGING_ENV = ("_MLFLOW_STATIC_PREFIX", "prometheus_multiproc_dir")

# Werkzeug rule variables: `<name>`, `<converter:name>` and `<converter(args):name>`.
_FLASK_PARAM = re.compile(
    r"<(?:(?P<conv>[A-Za-z_]\w*)(?:\((?P<args>[^)]*)\))?:)?(?P<name>[A-Za-z_]\w*)>"
)


def _isolate_environment(workdir: str) -> None:
    """Points every store MLflow might open at a throwaway directory, before MLflow is imported.

    Importing the server builds no store (they are created lazily by `_get_tracking_store`), but
    setting the same env vars `mlflow server` sets (`_run_server` in mlflow/server/__init__.py)
    makes the import behave like a server worker's and guarantees that nothing reaches a real
    database, artifact root, home directory or the telemetry endpoint.
    """
    for name in _ROUTE_CHANGING_ENV:
        os.environ.pop(name, None)
    db_uri = "sqlite:///" + os.path.join(workdir, "mlflow.db")
    artifacts = os.path.join(workdir, "artifacts")
    os.environ.update({
        "_MLFLOW_SERVER_FILE_STORE": db_uri,
        "_MLFLOW_SERVER_REGISTRY_STORE": db_uri,
        "_MLFLOW_SERVER_ARTIFACT_ROOT": artifacts,
        "_MLFLOW_SERVER_ARTIFACT_DESTINATION": artifacts,
        "_MLFLOW_SERVER_SERVE_ARTIFACTS": "true",
        "MLFLOW_TRACKING_URI": db_uri,
        "MLFLOW_REGISTRY_URI": db_uri,
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "DO_NOT_TRACK": "true",
        "HOME": workdir,
        "XDG_CACHE_HOME": os.path.join(workdir, ".cache"),
        "XDG_CONFIG_HOME": os.path.join(workdir, ".config"),
    })
    os.chdir(workdir)


# Automatic methods are left out: Werkzeug adds HEAD to every rule that allows GET, Flask adds
# OPTIONS to every rule unless the view lists OPTIONS itself (`provide_automatic_options`), and
# Starlette's Route adds HEAD to every route that allows GET. They are answered by the same view
# as GET (HEAD) or by the framework (OPTIONS), so they are not routes of their own. A HEAD or
# OPTIONS that a view declares explicitly is kept.
def _methods(declared, automatic_options: bool) -> list[str]:
    declared = {m.upper() for m in declared or ()}
    out = set(declared)
    if "GET" in declared:
        out.discard("HEAD")
    if automatic_options:
        out.discard("OPTIONS")
    return sorted(out)


def _flask_template(rule: str) -> str:
    def convert(m: re.Match) -> str:
        conv, name = m.group("conv"), m.group("name")
        if conv in (None, "default", "string"):
            return "{" + name + "}"
        return "{" + name + ":" + conv + "}"

    return _FLASK_PARAM.sub(convert, rule)


def _describe(func) -> tuple[str, str]:
    """(name, module) of a view; MLflow's decorators keep both through functools.wraps."""
    func = getattr(func, "__wrapped__", func) if func is not None else None
    if func is None:
        return "", ""
    return getattr(func, "__qualname__", getattr(func, "__name__", repr(func))), getattr(
        func, "__module__", ""
    )


def _flask_routes(flask_app) -> list[dict]:
    out = []
    for rule in flask_app.url_map.iter_rules():
        view = flask_app.view_functions.get(rule.endpoint)
        _, module = _describe(view)
        automatic = getattr(rule, "provide_automatic_options", True) is not False
        for method in _methods(rule.methods, automatic):
            out.append({
                "method": method,
                "path": _flask_template(rule.rule),
                "source": "flask",
                "endpoint": rule.endpoint,
                "module": module,
            })
    return out


def _fastapi_routes(routes, prefix: str, flask_app, out: list[dict], problems: list[str]) -> None:
    """Walks a Starlette/FastAPI route list depth-first, in matching order.

    FastAPI >= 0.16x keeps `include_router` calls as lazy `_IncludedRouter` branches (an
    `original_router` plus an `include_context.prefix`); older FastAPI copies the routes into
    `app.routes` with the prefix already applied. Both shapes are handled, as are Starlette
    `Mount`s of routers.
    """
    from starlette.routing import Host, Mount, WebSocketRoute

    for route in routes:
        included = getattr(route, "original_router", None)
        context = getattr(route, "include_context", None)
        if included is not None and context is not None:
            child_prefix = prefix + (getattr(context, "prefix", "") or "")
            _fastapi_routes(included.routes, child_prefix, flask_app, out, problems)
            low = getattr(included, "_low_priority_routes", None) or []
            _fastapi_routes(low, child_prefix, flask_app, out, problems)
            continue
        if isinstance(route, Mount):
            inner = getattr(route, "app", None)
            # The catch-all WSGI mount of the Flask app (create_fastapi_app: mount("/", ...)).
            if getattr(inner, "app", None) is flask_app or inner is flask_app:
                if prefix + route.path not in ("", "/"):
                    problems.append(f"the Flask app is mounted at {prefix + route.path!r}, not /")
                continue
            sub_routes = getattr(route, "routes", None)
            if sub_routes:
                _fastapi_routes(sub_routes, prefix + route.path, flask_app, out, problems)
            else:
                problems.append(f"opaque ASGI mount at {prefix + route.path!r}: {inner!r}")
            continue
        if isinstance(route, (Host, WebSocketRoute)) or not hasattr(route, "methods"):
            where = getattr(route, "path", "?")
            problems.append(f"unsupported route {type(route).__name__} at {where!r}")
            continue
        name, module = _describe(getattr(route, "endpoint", None))
        # Starlette adds HEAD to GET routes itself and never adds OPTIONS.
        for method in _methods(route.methods, automatic_options=False):
            out.append({
                "method": method,
                "path": prefix + route.path,
                "source": "fastapi",
                "endpoint": getattr(route, "name", None) or name,
                "module": module,
            })


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="mlflow-gate-routes-")
    try:
        _isolate_environment(workdir)
        # Keep stdout for the JSON document: anything MLflow prints while importing goes to stderr.
        with contextlib.redirect_stdout(sys.stderr):
            from mlflow.server import app as flask_app
            from mlflow.version import VERSION

            try:
                from mlflow.server.fastapi_app import app as fastapi_app
            except ModuleNotFoundError as e:
                # MLflow 2.x serves the Flask app only; any other missing module is a real error.
                if e.name != "mlflow.server.fastapi_app":
                    raise
                fastapi_app = None

        problems: list[str] = []
        fastapi_entries: list[dict] = []
        if fastapi_app is not None:
            _fastapi_routes(fastapi_app.router.routes, "", flask_app, fastapi_entries, problems)
        flask_entries = _flask_routes(flask_app)

        # FastAPI entries first: they are matched before the Flask mount (see the docstring).
        merged: dict[tuple[str, str], dict] = {}
        for entry in fastapi_entries + flask_entries:
            key = (entry["method"], entry["path"])
            if key in merged:
                merged[key].setdefault("shadowed", []).append(
                    {"source": entry["source"], "endpoint": entry["endpoint"]}
                )
            else:
                merged[key] = entry
        routes = sorted(merged.values(), key=lambda r: (r["path"], r["method"]))

        for problem in problems:
            print(f"dump-mlflow-routes: warning: {problem}", file=sys.stderr)
        if not routes:
            print(
                "dump-mlflow-routes: error: found zero routes in mlflow.server "
                f"(MLflow {VERSION}); the way MLflow builds its app has changed, "
                "so this script needs updating",
                file=sys.stderr,
            )
            return 1
        json.dump(
            {
                "mlflow_version": VERSION,
                "counts": {
                    "total": len(routes),
                    "flask": sum(r["source"] == "flask" for r in routes),
                    "fastapi": sum(r["source"] == "fastapi" for r in routes),
                },
                "routes": routes,
            },
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
