/**
 * What the auth-client scenarios in test/python/auth_client*.py see, step by step: checked against
 * MLflow's own basic-auth servers and against the gateway, so a mistake both share cannot pass.
 */

export type Outcome = { ok: unknown } | { error: string }
export type Outcomes = Record<string, Outcome>

const ok = (value: unknown = null): Outcome => ({ ok: value })
const PERMISSION_DENIED = { error: 'PERMISSION_DENIED' }
const INVALID = { error: 'INVALID_PARAMETER_VALUE' }
const EXISTS = { error: 'RESOURCE_ALREADY_EXISTS' }
const MISSING = { error: 'RESOURCE_DOES_NOT_EXIST' }
const UNAUTHENTICATED = { error: 'UNAUTHENTICATED' }

const user = (username: string, is_admin = false) => ok({ username, is_admin })

/** MLflow 3.18.0's client: users/* and users/permissions/grant|revoke|get. */
export const EXPECTED_3X: Outcomes = {
  create_user: user('alice'),
  create_user_again: EXISTS,
  create_user_short_password: INVALID,
  create_user_bob: user('bob'),
  get_user: user('alice'),
  get_user_missing: MISSING,
  get_self_as_alice: user('alice'),
  current_user_as_alice: ok({
    status: 200,
    user: { username: 'alice', is_admin: false },
    is_basic_auth: true,
  }),

  alice_reads_before_grant: PERMISSION_DENIED,
  grant_read: ok(),
  grant_read_again: EXISTS,
  check_read: ok({ allowed: false, permission: 'READ' }),
  alice_reads_after_grant: ok('compat-exp'),
  alice_tags_with_read: PERMISSION_DENIED,
  revoke_read: ok(),
  revoke_read_again: MISSING,
  alice_reads_after_revoke: PERMISSION_DENIED,
  check_unknown_experiment: ok({ allowed: false, permission: 'NO_PERMISSIONS' }),

  alice_reads_model_before_grant: PERMISSION_DENIED,
  grant_model_edit: ok(),
  check_model_edit: ok({ allowed: true, permission: 'EDIT' }),
  alice_reads_model: ok('compat-model'),
  alice_updates_model: ok('by alice'),
  alice_deletes_model: PERMISSION_DENIED,
  revoke_model: ok(),
  alice_reads_model_after_revoke: PERMISSION_DENIED,

  alice_creates_user: PERMISSION_DENIED,
  alice_gets_bob: PERMISSION_DENIED,
  alice_makes_herself_admin: PERMISSION_DENIED,
  alice_deletes_bob: PERMISSION_DENIED,
  alice_changes_bobs_password: PERMISSION_DENIED,
  alice_grants_herself_manage: PERMISSION_DENIED,
  alice_checks_bob: PERMISSION_DENIED,
  alice_grants_everything: PERMISSION_DENIED,

  grant_manage: ok(),
  alice_grants_bob: ok(),
  bob_reads: ok('compat-exp'),
  alice_grants_bob_elsewhere: PERMISSION_DENIED,
  alice_revokes_bob: ok(),
  bob_reads_after_revoke: PERMISSION_DENIED,

  grant_deny: ok(),
  check_deny: ok({ allowed: false, permission: 'DENY' }),
  bob_reads_denied: PERMISSION_DENIED,
  revoke_deny: ok(),
  grant_no_permissions: INVALID,
  grant_unknown_user: MISSING,
  grant_workspace: INVALID,
  grant_bogus_type: INVALID,

  grant_all: ok(),
  bob_reads_other: ok('compat-other'),
  revoke_all: ok(),
  bob_reads_other_after_revoke: PERMISSION_DENIED,

  set_alice_password: ok(),
  alice_old_password: UNAUTHENTICATED,
  alice_new_password: ok('compat-exp'),
  alice_changes_own_without_current: INVALID,
  alice_changes_own_wrong_current: INVALID,
  alice_changes_own_same: INVALID,
  alice_changes_own: ok(),
  alice_newest_password: ok('compat-exp'),
  set_missing_password: MISSING,
  set_short_password: INVALID,

  make_alice_admin: ok(),
  alice_is_admin: user('alice', true),
  alice_as_admin_creates: user('carol'),
  unmake_alice_admin: ok(),
  alice_is_not_admin: user('alice'),
  admin_missing_user: MISSING,

  delete_bob: ok(),
  get_deleted_bob: MISSING,
  deleted_bob_reads: UNAUTHENTICATED,
  delete_bob_again: MISSING,
  admin_deletes_self: { error: 'BAD_REQUEST' },
}

const user2x = (
  username: string,
  is_admin = false,
  experiment_permissions: unknown[] = [],
  registered_model_permissions: unknown[] = [],
) => ok({ username, is_admin, experiment_permissions, registered_model_permissions })
const expPerm = (permission: string) => ok({ this_experiment: true, permission })
const modelPerm = (permission: string) => ok({ name: 'compat-model-2x', permission })

/** MLflow 2.22.5's client: users/* and experiments|registered-models/permissions/*. */
export const EXPECTED_2X: Outcomes = {
  create_user: user2x('alice'),
  create_user_bob: user2x('bob'),
  create_user_again: EXISTS,

  alice_reads_before: PERMISSION_DENIED,
  create_exp_perm: expPerm('READ'),
  create_exp_perm_again: EXISTS,
  get_exp_perm: expPerm('READ'),
  alice_reads: ok('compat-exp-2x'),
  alice_tags_with_read: PERMISSION_DENIED,
  update_exp_perm: ok(),
  get_exp_perm_updated: expPerm('EDIT'),
  alice_tags_with_edit: ok(),
  user_lists_exp_perm: user2x('alice', false, [[true, 'EDIT']]),
  delete_exp_perm: ok(),
  delete_exp_perm_again: MISSING,
  get_exp_perm_deleted: MISSING,
  update_exp_perm_deleted: MISSING,
  alice_reads_after_delete: PERMISSION_DENIED,

  create_no_permissions: expPerm('NO_PERMISSIONS'),
  get_no_permissions: expPerm('NO_PERMISSIONS'),
  alice_reads_no_permissions: PERMISSION_DENIED,
  delete_no_permissions: ok(),
  create_bogus_permission: INVALID,
  create_for_missing_user: MISSING,
  get_for_missing_user: MISSING,

  alice_grants_without_manage: PERMISSION_DENIED,
  grant_alice_manage: expPerm('MANAGE'),
  alice_grants_bob: expPerm('READ'),
  alice_reads_bobs: expPerm('READ'),
  bob_reads: ok('compat-exp-2x'),
  alice_deletes_bobs: ok(),
  bob_reads_after_delete: PERMISSION_DENIED,
  delete_alice_manage: ok(),

  alice_reads_model_before: PERMISSION_DENIED,
  create_model_perm: modelPerm('READ'),
  create_model_perm_again: EXISTS,
  get_model_perm: modelPerm('READ'),
  alice_reads_model: ok('compat-model-2x'),
  alice_updates_model_with_read: PERMISSION_DENIED,
  update_model_perm: ok(),
  alice_updates_model_with_edit: ok('by alice'),
  user_lists_model_perm: user2x('alice', false, [], [['compat-model-2x', 'EDIT']]),
  delete_model_perm: ok(),
  delete_model_perm_again: MISSING,
  alice_reads_model_after_delete: PERMISSION_DENIED,
  alice_grants_model_without_manage: PERMISSION_DENIED,

  get_user_missing: MISSING,
  alice_gets_bob: PERMISSION_DENIED,
  make_alice_admin: ok(),
  alice_is_admin: user2x('alice', true),
  set_bob_password: ok(),
  bob_old_password: UNAUTHENTICATED,
  delete_bob: ok(),
  get_deleted_bob: MISSING,
}
