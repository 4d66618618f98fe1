/** `mlflow-gate import-mlflow-auth`: brings users, passwords, admins and permissions over from MLflow's basic-auth database. */
import type { PermissionColumn } from '../storage/database.js'
import { PERMISSION_NAMES } from '../storage/access/grants.js'
import { applyImport, planImport } from '../storage/import-mlflow-auth/apply.js'
import { mapMlflowAuth } from '../storage/import-mlflow-auth/map.js'
import { readMlflowAuth } from '../storage/import-mlflow-auth/read.js'
import { formatReport, jsonReport } from '../storage/import-mlflow-auth/report.js'
import { openAuthSource, SourceError } from '../storage/import-mlflow-auth/source.js'
import { STORE_OPTIONS, STORE_OPTIONS_HELP, withStore } from './access-store.js'
import type { Command } from './index.js'
import { failure, printJson, usageError } from './output.js'
import { progressReporter } from './progress.js'

export const importMlflowAuthCommand: Command = {
  summary: "import users, passwords and permissions from MLflow's basic-auth database",
  usage:
    'Usage: mlflow-gate import-mlflow-auth --from DB [--apply] [--default-permission P] [options]',
  help: `Reads MLflow's auth database (the database_uri of basic_auth.ini) read-only and imports into
the gateway's store:
  - users with their password hashes (Werkzeug scrypt or pbkdf2, so passwords keep working;
    pbkdf2 hashes are upgraded to scrypt at the next sign-in) and admin flags;
  - per-user permissions (MLflow's hidden __user_<id>__ roles) as grants to user:NAME, and other
    roles as groups with their members and grants to group:NAME. experiment -> experiment-id,
    registered_model and prompt -> registered-model, workspace MANAGE -> MANAGE on all;
    DENY and NO_PERMISSIONS -> a deny READ grant (no access at all);
  - from a database older than MLflow's role tables, the classic experiment_permissions,
    registered_model_permissions and workspace_permissions.
What has no counterpart (scorer and gateway permissions, workspaces other than 'default',
workspace membership) is listed as skipped with counts, never dropped silently.

A dry run by default: prints what it would do. --apply writes it in one transaction, marked
origin import ('apply' leaves it alone unless --prune). Running it again changes nothing that
is already there: existing users are left as they are, existing grants are matched.

Options:
      --from DB                basic_auth.db path, sqlite:///path, or postgresql://user:pw@host/db
      --apply                  write the import (default: dry run)
      --default-permission P   also grant MLflow's default_permission (READ, USE, EDIT, MANAGE)
                               on every experiment and model to 'authenticated'
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate import-mlflow-auth --from /srv/mlflow/basic_auth.db -c mlflow-gate.yaml
  mlflow-gate import-mlflow-auth --from postgresql://mlflow:pw@db/mlflow_auth -c gate.yaml --apply
`,
  options: {
    ...STORE_OPTIONS,
    from: { type: 'string' },
    apply: { type: 'boolean' },
    'default-permission': { type: 'string' },
  },
  async run(values, positionals) {
    const from = values.from as string | undefined
    if (!from || positionals.length > 0)
      return usageError('import-mlflow-auth', '--from is required', this.usage)
    const defaultPermission = (values['default-permission'] as string | undefined)?.toUpperCase()
    if (
      defaultPermission !== undefined &&
      !PERMISSION_NAMES.includes(defaultPermission as PermissionColumn)
    )
      return usageError(
        'import-mlflow-auth',
        `--default-permission must be one of ${PERMISSION_NAMES.join(', ')}`,
        this.usage,
      )
    let source
    try {
      source = await openAuthSource(from)
    } catch (err) {
      if (err instanceof SourceError) return failure('import-mlflow-auth', err.message)
      throw err
    }
    let items
    try {
      items = mapMlflowAuth(await readMlflowAuth(source), {
        ...(defaultPermission && { defaultPermission: defaultPermission as PermissionColumn }),
      })
    } catch (err) {
      if (err instanceof SourceError) return failure('import-mlflow-auth', err.message)
      return failure(
        'import-mlflow-auth',
        `cannot read ${source.description}: ${(err as Error).message}`,
      )
    } finally {
      await source.close()
    }
    const apply = values.apply === true
    return withStore('import-mlflow-auth', values, async ({ access, json }) => {
      const actions = apply
        ? await applyImport(access, items, progressReporter('import-mlflow-auth: writing'))
        : await planImport(access.db, items)
      if (json) printJson(jsonReport(source.description, items, actions, apply))
      else process.stdout.write(formatReport(source.description, items, actions, apply))
      return 0
    })
  },
}
