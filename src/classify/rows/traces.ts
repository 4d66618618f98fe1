/** Catalogue rows for traces: v3 and v2 APIs, assessments, trace artifacts and OTLP ingest. */
import type { Row } from '../row.js'
import { ajax, at, both, header, msg, msgList, on, param, query, type Spec } from './build.js'

const experiment = on('experiment', msg('experiment_id'))
const experiments = on('experiment', msgList('experiment_ids'))
const tracePath = (name: string) => on('trace', param(name))

const NOT_IMPLEMENTED: Spec = {
  action: 'deny',
  body: 'none',
  source: 'handlers.py get_service_endpoints (no handler: _not_implemented, 404)',
}

export const ROWS: readonly Row[] = [
  // v3 (since.major 3).
  // The experiment is nested in the trace: trace.trace_info.trace_location.mlflow_experiment.
  // The store refuses a trace id that already exists in another experiment.
  ...both(3, 'POST', '/mlflow/traces', {
    action: 'update',
    resource: on(
      'experiment',
      msg('trace.trace_info.trace_location.mlflow_experiment.experiment_id'),
    ),
    body: 'json',
    source: 'handlers.py _start_trace_v3',
  }),
  ...both(3, 'GET', '/mlflow/traces/{trace_id}', {
    action: 'read',
    resource: tracePath('trace_id'),
    body: 'none',
    source: 'handlers.py _get_trace_info_v3',
  }),
  ...both(3, 'GET', '/mlflow/traces/get', {
    action: 'read',
    resource: on('trace', msg('trace_id')),
    body: 'json',
    source: 'handlers.py _get_trace',
  }),
  // `experiment_ids` is optional and only narrows the store query; the trace ids decide.
  ...both(3, 'GET', '/mlflow/traces/batchGet', {
    action: 'read',
    resource: on('trace', msgList('trace_ids')),
    body: 'json',
    source: 'handlers.py _batch_get_traces',
  }),
  ...both(3, 'POST', '/mlflow/traces/batchGetInfos', {
    action: 'read',
    resource: on('trace', msgList('trace_ids')),
    body: 'json',
    source: 'handlers.py _batch_get_trace_infos',
  }),
  // Only `locations[]` of type mlflow_experiment are searched; others are dropped by the handler.
  ...both(3, 'POST', '/mlflow/traces/search', {
    action: 'read',
    resource: on('experiment', msgList('locations.mlflow_experiment.experiment_id')),
    body: 'json',
    filter: 'traces',
    source: 'handlers.py _search_traces_v3',
  }),
  // Deletes traces of one experiment (by age, count or `request_ids`).
  ...both(3, 'POST', '/mlflow/traces/delete-traces', {
    action: 'delete',
    resource: experiment,
    body: 'json',
    source: 'handlers.py _delete_traces',
  }),
  ...both(3, 'PATCH', '/mlflow/traces/{trace_id}/tags', {
    action: 'update',
    resource: tracePath('trace_id'),
    body: 'json',
    source: 'handlers.py _set_trace_tag_v3',
  }),
  ...both(3, 'DELETE', '/mlflow/traces/{trace_id}/tags', {
    action: 'delete',
    resource: tracePath('trace_id'),
    body: 'json',
    source: 'handlers.py _delete_trace_tag_v3',
  }),
  ...both(3, 'POST', '/mlflow/traces/calculate-filter-correlation', {
    action: 'read',
    resource: experiments,
    body: 'json',
    source: 'handlers.py _calculate_trace_filter_correlation',
  }),
  ...both(3, 'POST', '/mlflow/traces/metrics', {
    action: 'read',
    resource: experiments,
    body: 'json',
    source: 'handlers.py _query_trace_metrics',
  }),
  // Assessments: the proto path `{assessment.trace_id}` becomes `<trace_id>`
  // (_convert_path_parameter_to_flask_format); the handler overwrites the body's
  // `assessment.trace_id` with the path parameter, so the path decides.
  ...both(3, 'POST', '/mlflow/traces/{trace_id}/assessments', {
    action: 'update',
    resource: tracePath('trace_id'),
    body: 'json',
    source: 'handlers.py _create_assessment',
  }),
  ...both(3, 'GET', '/mlflow/traces/{trace_id}/assessments/{assessment_id}', {
    action: 'read',
    resource: tracePath('trace_id'),
    body: 'none',
    source: 'handlers.py _get_assessment',
  }),
  ...both(3, 'PATCH', '/mlflow/traces/{trace_id}/assessments/{assessment_id}', {
    action: 'update',
    resource: tracePath('trace_id'),
    body: 'json',
    source: 'handlers.py _update_assessment',
  }),
  ...both(3, 'DELETE', '/mlflow/traces/{trace_id}/assessments/{assessment_id}', {
    action: 'delete',
    resource: tracePath('trace_id'),
    body: 'none',
    source: 'handlers.py _delete_assessment',
  }),

  // Deprecated v2 (since.major 2), still served in 3.18.0.
  ...both(2, 'POST', '/mlflow/traces', {
    action: 'update',
    resource: experiment,
    body: 'json',
    source: 'handlers.py _deprecated_start_trace_v2',
  }),
  ...both(2, 'GET', '/mlflow/traces', {
    action: 'read',
    resource: experiments,
    body: 'json',
    filter: 'traces',
    source: 'handlers.py _deprecated_search_traces_v2',
  }),
  ...both(2, 'PATCH', '/mlflow/traces/{request_id}', {
    action: 'update',
    resource: tracePath('request_id'),
    body: 'json',
    source: 'handlers.py _deprecated_end_trace_v2',
  }),
  ...both(2, 'GET', '/mlflow/traces/{request_id}/info', {
    action: 'read',
    resource: tracePath('request_id'),
    body: 'none',
    source: 'handlers.py _deprecated_get_trace_info_v2',
  }),
  ...both(2, 'PATCH', '/mlflow/traces/{request_id}/tags', {
    action: 'update',
    resource: tracePath('request_id'),
    body: 'json',
    source: 'handlers.py _set_trace_tag',
  }),
  ...both(2, 'DELETE', '/mlflow/traces/{request_id}/tags', {
    action: 'delete',
    resource: tracePath('request_id'),
    body: 'json',
    source: 'handlers.py _delete_trace_tag',
  }),
  ...both(2, 'POST', '/mlflow/traces/delete-traces', {
    action: 'delete',
    resource: experiment,
    body: 'json',
    source: 'handlers.py _delete_traces',
  }),
  // Links `trace_ids` to `run_id`. One row names one resource: the run is checked (EDIT on its
  // experiment); the traces, which may live in other experiments, are not.
  ...both(2, 'POST', '/mlflow/traces/link-to-run', {
    action: 'update',
    resource: on('run', msg('run_id')),
    body: 'json',
    source: 'handlers.py _link_traces_to_run',
  }),
  // Links `prompt_versions` (name and version, not loaded) to the trace; the prompts are not
  // checked.
  ...both(2, 'POST', '/mlflow/traces/link-prompts', {
    action: 'update',
    resource: on('trace', msg('trace_id')),
    body: 'json',
    source: 'handlers.py _link_prompts_to_trace',
  }),
  // Declared in service.proto for Databricks; OSS answers 404.
  ...both(2, 'GET', '/mlflow/unified-traces', NOT_IMPLEMENTED),
  ...both(2, 'GET', '/mlflow/get-online-trace-details', NOT_IMPLEMENTED),

  // Trace data and attachments for the UI, registered for both 2.0 and 3.0 ajax paths; the
  // handler reads `request_id` (and optionally `path`) from `request.args`.
  ...ajax(2, 'GET', '/mlflow/get-trace-artifact', {
    action: 'read',
    resource: on('trace', query('request_id')),
    body: 'stream',
    artifactPaths: { path: 'relative' },
    download: true,
    source: '__init__.py serve_get_trace_artifact -> handlers.py get_trace_artifact_handler',
  }),
  ...ajax(3, 'GET', '/mlflow/get-trace-artifact', {
    action: 'read',
    resource: on('trace', query('request_id')),
    body: 'stream',
    artifactPaths: { path: 'relative' },
    download: true,
    source: '__init__.py serve_get_trace_artifact -> handlers.py get_trace_artifact_handler',
  }),

  // OTLP ingest (native FastAPI, otel_api.py): protobuf or JSON spans, possibly compressed; the
  // target experiment comes from the required `X-Mlflow-Experiment-Id` header.
  ...at('POST', '/v1/traces', {
    action: 'update',
    resource: on('experiment', header('x-mlflow-experiment-id')),
    body: 'stream',
    source: 'otel_api.py export_traces',
  }),
]
