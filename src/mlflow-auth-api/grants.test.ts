import { describe, expect, it } from 'vitest'
import { decide } from '../authorize/decide.js'
import { compileSnapshot } from '../authorize/policy.js'
import type { Action } from '../classify/row.js'
import type { Principal } from '../identify/principal.js'
import {
  checkPermission,
  mlflowPermissionOf,
  RESOURCE_ROUTE_PERMISSIONS,
  toGrantFields,
  USER_ROUTE_PERMISSIONS,
  type MlflowPermission,
} from './grants.js'

const alice: Principal = { kind: 'user', name: 'alice', groups: [], admin: false, via: 'basic' }
const target = { kind: 'experiment', id: '7', name: 'shared' } as const
const ACTIONS: Action[] = ['read', 'use', 'update', 'delete', 'manage']

/** What alice may do on experiment 7 when her only grant is MLflow's permission `p`. */
function allowedActions(p: MlflowPermission, otherGrant?: 'MANAGE'): Action[] {
  const grants = [
    {
      id: 1,
      to: 'user:alice',
      resource: 'experiment-id' as const,
      pattern: '7',
      ...toGrantFields(p),
      source: null,
    },
  ]
  if (otherGrant)
    grants.push({
      id: 2,
      to: 'authenticated',
      resource: 'experiment-id',
      pattern: '7',
      permission: otherGrant,
      deny: false,
      source: null,
    })
  const policy = compileSnapshot(
    { revision: 1, users: [], grants, createRights: [], tokens: [] },
    { anonymousEnabled: false, customArtifactLocations: false },
  )
  return ACTIONS.filter((a) => decide(alice, a, [target], policy).allow)
}

describe("MLflow's permissions as gateway grants", () => {
  it('give what MLflow gives for each level (only MANAGE deletes, as permissions.py says)', () => {
    expect(allowedActions('READ')).toEqual(['read'])
    expect(allowedActions('USE')).toEqual(['read', 'use'])
    expect(allowedActions('EDIT')).toEqual(['read', 'use', 'update'])
    expect(allowedActions('MANAGE')).toEqual(ACTIONS)
  })

  it('turn NO_PERMISSIONS and DENY into a deny of READ that beats any other grant', () => {
    expect(toGrantFields('NO_PERMISSIONS')).toEqual({ permission: 'READ', deny: true })
    expect(toGrantFields('DENY')).toEqual({ permission: 'READ', deny: true })
    expect(allowedActions('NO_PERMISSIONS', 'MANAGE')).toEqual([])
    expect(allowedActions('DENY', 'MANAGE')).toEqual([])
    expect(allowedActions('READ', 'MANAGE')).toEqual(ACTIONS)
  })

  it('read back as the permission that was written', () => {
    for (const p of ['READ', 'USE', 'EDIT', 'MANAGE'] as const)
      expect(mlflowPermissionOf([toGrantFields(p)], 'NO_PERMISSIONS')).toBe(p)
    expect(mlflowPermissionOf([toGrantFields('DENY')], 'DENY')).toBe('DENY')
    expect(mlflowPermissionOf([toGrantFields('DENY')], 'NO_PERMISSIONS')).toBe('NO_PERMISSIONS')
  })

  it('read a mixture as what is left after the denies', () => {
    const allow = (permission: 'READ' | 'USE' | 'EDIT' | 'MANAGE') => ({ permission, deny: false })
    const deny = (permission: 'READ' | 'USE' | 'EDIT' | 'MANAGE') => ({ permission, deny: true })
    expect(mlflowPermissionOf([allow('MANAGE'), deny('EDIT')], 'DENY')).toBe('USE')
    expect(mlflowPermissionOf([allow('READ'), allow('EDIT')], 'DENY')).toBe('EDIT')
    expect(mlflowPermissionOf([allow('MANAGE'), deny('READ')], 'DENY')).toBe('DENY')
    expect(mlflowPermissionOf([deny('EDIT')], 'DENY')).toBe('NO_PERMISSIONS')
  })

  it("check names against the route's list with MLflow's message", () => {
    expect(checkPermission('USE', RESOURCE_ROUTE_PERMISSIONS)).toBe('USE')
    expect(checkPermission('NO_PERMISSIONS', RESOURCE_ROUTE_PERMISSIONS)).toBe('NO_PERMISSIONS')
    expect(() => checkPermission('NO_PERMISSIONS', USER_ROUTE_PERMISSIONS)).toThrow(
      "Invalid permission 'NO_PERMISSIONS'. Valid permissions are: ('READ', 'USE', 'EDIT', 'MANAGE', 'DENY')",
    )
    expect(() => checkPermission('read', USER_ROUTE_PERMISSIONS)).toThrow(/Invalid permission/)
  })
})
