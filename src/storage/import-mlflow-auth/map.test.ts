import { describe, expect, it } from 'vitest'
import { mapPermission } from './map-permission.js'
import { mapMlflowAuth } from './map.js'
import type { MlflowAuthData } from './read.js'

const SCRYPT =
  'scrypt:32768:8:1$8bZbmHQhJjr7YZsn$d657047d5224af6c8a97b9b6a41dd55b6d6052a48c4d3d9e86e61e18242cae6b6b62406f63a8598b338a5db2daf8acc1d451d2b79440da69a7c1d174ad75de2a'
const PBKDF2 =
  'pbkdf2:sha256:1000$grvv75d1YAkIOsW6$242e2c3522e64e94fe40e8e7117bce235a1f20a2ff94830d3b4070e3a00c265e'

const user = (id: number, username: string, extra: Partial<MlflowAuthData['users'][0]> = {}) => ({
  id,
  username,
  passwordHash: SCRYPT,
  isAdmin: false,
  ...extra,
})

describe('mapPermission', () => {
  it.each([
    [
      'experiment',
      '12',
      'EDIT',
      [{ resource: 'experiment-id', pattern: '12', permission: 'EDIT', deny: false }],
    ],
    // MLflow reads experiment ids with int(): '012' is experiment 12.
    [
      'experiment',
      '012',
      'READ',
      [{ resource: 'experiment-id', pattern: '12', permission: 'READ', deny: false }],
    ],
    [
      'experiment',
      '*',
      'READ',
      [{ resource: 'experiment', pattern: '*', permission: 'READ', deny: false }],
    ],
    [
      'registered_model',
      'm',
      'MANAGE',
      [{ resource: 'registered-model', pattern: 'm', permission: 'MANAGE', deny: false }],
    ],
    [
      'prompt',
      'p',
      'USE',
      [{ resource: 'registered-model', pattern: 'p', permission: 'USE', deny: false }],
    ],
    [
      'experiment',
      '3',
      'DENY',
      [{ resource: 'experiment-id', pattern: '3', permission: 'READ', deny: true }],
    ],
    [
      'experiment',
      '3',
      'NO_PERMISSIONS',
      [{ resource: 'experiment-id', pattern: '3', permission: 'READ', deny: true }],
    ],
    [
      'workspace',
      '*',
      'MANAGE',
      [
        { resource: 'experiment', pattern: '*', permission: 'MANAGE', deny: false },
        { resource: 'registered-model', pattern: '*', permission: 'MANAGE', deny: false },
      ],
    ],
  ])('%s %s %s', (type, pattern, permission, expected) => {
    expect(mapPermission(type, pattern, permission)).toEqual(expected)
  })

  it.each([
    ['scorer', '1/s', 'READ', /scorer permissions have no counterpart/],
    ['gateway_endpoint', '*', 'READ', /gateway_endpoint permissions have no counterpart/],
    ['run', '*', 'READ', /run permissions/],
    ['workspace', '*', 'USE', /workspace USE/],
    ['experiment', 'abc', 'READ', /not a number/],
    ['registered_model', 'prod-*', 'READ', /globs/],
    ['experiment', '1', 'OWNER', /unknown permission 'OWNER'/],
  ])('skips %s %s %s with a reason', (type, pattern, permission, reason) => {
    expect(mapPermission(type, pattern, permission)).toMatch(reason)
  })

  it('maps classic workspace EDIT to EDIT everywhere, as MLflow migration e5f6a7b8c9d0 does', () => {
    expect(mapPermission('workspace', '*', 'EDIT', true)).toHaveLength(2)
    expect(typeof mapPermission('workspace', '*', 'EDIT')).toBe('string')
  })
})

describe('mapMlflowAuth from the role tables', () => {
  const data: MlflowAuthData = {
    version: 'f1a2b3c4d5e6',
    users: [
      user(1, 'admin', { isAdmin: true }),
      user(2, 'alice', { passwordHash: PBKDF2 }),
      user(3, 'Alice'),
      user(4, 'bad name'),
      user(5, 'carol', { passwordHash: 'plain$x$y' }),
      user(6, 'dave', { passwordHash: null }),
    ],
    roles: {
      roles: [
        { id: 1, name: '__user_2__', workspace: 'default' },
        { id: 2, name: 'data readers', workspace: 'default' },
        { id: 3, name: 'team', workspace: 'other' },
        { id: 4, name: '__user_4__', workspace: 'default' },
      ],
      permissions: [
        { id: 1, roleId: 1, resourceType: 'experiment', pattern: '1', permission: 'EDIT' },
        { id: 2, roleId: 1, resourceType: 'experiment', pattern: '2', permission: 'DENY' },
        { id: 3, roleId: 2, resourceType: 'experiment', pattern: '*', permission: 'READ' },
        { id: 4, roleId: 2, resourceType: 'scorer', pattern: '*', permission: 'READ' },
        { id: 5, roleId: 3, resourceType: 'experiment', pattern: '*', permission: 'MANAGE' },
        { id: 6, roleId: 4, resourceType: 'experiment', pattern: '9', permission: 'READ' },
        { id: 7, roleId: 2, resourceType: 'workspace', pattern: '*', permission: 'MANAGE' },
      ],
      assignments: [
        { userId: 2, roleId: 1 },
        { userId: 2, roleId: 2 },
        { userId: 5, roleId: 2 },
        { userId: 2, roleId: 3 },
        { userId: 4, roleId: 4 },
      ],
    },
    legacy: [],
    counted: { experiment_permissions: 2, scorer_permissions: 0 },
  }
  const items = mapMlflowAuth(data)

  it('keeps users with usable hashes, and says which it cannot take', () => {
    expect(items.users.map((u) => [u.name, u.hash, u.admin])).toEqual([
      ['admin', 'scrypt', true],
      ['alice', 'pbkdf2', false],
      ['carol', 'unusable', false],
      ['dave', 'none', false],
    ])
    expect(items.users.find((u) => u.name === 'carol')!.passwordHash).toBeNull()
    const reasons = items.skipped.filter((s) => s.table === 'users').map((s) => s.reason)
    expect(reasons).toEqual([
      expect.stringMatching(/differs only in case/),
      expect.stringMatching(/without spaces or colons/),
    ])
  })

  it('turns per-user roles into user grants and other roles into groups', () => {
    expect(items.groups).toEqual([
      { name: 'data-readers', role: 'data readers', members: ['alice', 'carol'] },
    ])
    expect(items.grants.map((g) => [g.to, g.resource, g.pattern, g.permission, g.deny])).toEqual([
      ['user:alice', 'experiment-id', '1', 'EDIT', false],
      ['user:alice', 'experiment-id', '2', 'READ', true],
      ['group:data-readers', 'experiment', '*', 'MANAGE', false],
      ['group:data-readers', 'registered-model', '*', 'MANAGE', false],
    ])
  })

  it('lists everything it did not import, with counts', () => {
    const skipped = Object.fromEntries(
      items.skipped.map((s) => [`${s.table}: ${s.reason}`, s.rows]),
    )
    expect(skipped).toMatchObject({
      'role_permissions: scorer permissions have no counterpart in the gateway': 1,
      "role_permissions: role in workspace 'other' (the gateway has no workspaces)": 1,
      'role_permissions: per-user role of a user who was not imported': 1,
      "user_role_assignments: role in workspace 'other' (the gateway has no workspaces)": 1,
      'user_role_assignments: for a user who was not imported': 1,
    })
    expect(Object.keys(skipped).find((k) => k.startsWith('experiment_permissions'))).toMatch(
      /MLflow 3.x reads role_permissions/,
    )
    expect(Object.keys(skipped).some((k) => k.startsWith('scorer_permissions'))).toBe(false)
  })

  it('keeps the highest of several permissions on one resource, as MLflow does', () => {
    const twice = mapMlflowAuth({
      ...data,
      roles: {
        ...data.roles!,
        permissions: [
          { id: 1, roleId: 2, resourceType: 'experiment', pattern: '*', permission: 'READ' },
          { id: 2, roleId: 2, resourceType: 'workspace', pattern: '*', permission: 'MANAGE' },
        ],
      },
    })
    expect(twice.grants.filter((g) => g.resource === 'experiment')).toEqual([
      expect.objectContaining({ permission: 'MANAGE' }),
    ])
  })

  it('grants the default permission to everyone signed in only when asked', () => {
    expect(items.grants.some((g) => g.to === 'authenticated')).toBe(false)
    expect(items.notes.some((n) => n.includes('default_permission'))).toBe(true)
    expect(items.notes).toContain(
      "MLflow role 'data readers' becomes group 'data-readers' (group names have no spaces or colons).",
    )
    const withDefault = mapMlflowAuth(data, { defaultPermission: 'READ' })
    expect(withDefault.grants.filter((g) => g.to === 'authenticated')).toHaveLength(2)
  })
})

describe('mapMlflowAuth from the classic tables', () => {
  it('maps experiment, model and workspace rows; NO_PERMISSIONS denies', () => {
    const items = mapMlflowAuth({
      version: null,
      users: [user(1, 'bob'), user(2, 'eve')],
      legacy: [
        {
          table: 'experiment_permissions',
          id: 1,
          userId: 1,
          key: '4',
          workspace: 'default',
          permission: 'MANAGE',
        },
        {
          table: 'experiment_permissions',
          id: 2,
          userId: 2,
          key: '4',
          workspace: 'default',
          permission: 'NO_PERMISSIONS',
        },
        {
          table: 'registered_model_permissions',
          id: 1,
          userId: 1,
          key: 'm',
          workspace: 'default',
          permission: 'READ',
        },
        {
          table: 'registered_model_permissions',
          id: 2,
          userId: 1,
          key: 'n',
          workspace: 'ws2',
          permission: 'READ',
        },
        {
          table: 'workspace_permissions',
          id: null,
          userId: 2,
          key: 'default',
          workspace: 'default',
          permission: 'EDIT',
        },
        {
          table: 'experiment_permissions',
          id: 3,
          userId: 9,
          key: '4',
          workspace: 'default',
          permission: 'READ',
        },
      ],
      counted: { scorer_permissions: 3, gateway_secret_permissions: 0 },
    })
    expect(items.mode).toBe('legacy')
    expect(
      items.grants.map((g) => [g.to, g.resource, g.pattern, g.permission, g.deny, g.from]),
    ).toEqual([
      ['user:bob', 'experiment-id', '4', 'MANAGE', false, 'experiment_permissions 1'],
      ['user:eve', 'experiment-id', '4', 'READ', true, 'experiment_permissions 2'],
      ['user:bob', 'registered-model', 'm', 'READ', false, 'registered_model_permissions 1'],
      ['user:eve', 'experiment', '*', 'EDIT', false, 'workspace_permissions'],
      ['user:eve', 'registered-model', '*', 'EDIT', false, 'workspace_permissions'],
    ])
    expect(items.skipped.map((s) => [s.table, s.rows])).toEqual([
      ['registered_model_permissions', 1],
      ['experiment_permissions', 1],
      ['scorer_permissions', 3],
    ])
  })
})
