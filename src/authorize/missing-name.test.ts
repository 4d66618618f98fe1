import { describe, expect, it } from 'vitest'
import type { Operation } from '../classify/index.js'
import type { Row } from '../classify/row.js'
import { ANONYMOUS } from '../identify/principal.js'
import { allow, deny, reason } from './decision.js'
import { asMissingName } from './missing-name.js'

const op = (action: Row['action'], by: 'id' | 'name', kind = 'experiment'): Operation =>
  ({
    method: 'GET',
    path: '/api/2.0/mlflow/experiments/get-by-name',
    target: '/api/2.0/mlflow/experiments/get-by-name?experiment_name=secret',
    row: { action } as Row,
    ids: { kind, by, values: ['secret'] },
    message: {},
    streamsBody: false,
  }) as Operation

const denied = deny(reason('no-grant', "anonymous needs READ on experiment 7 ('secret')"))

describe('asMissingName', () => {
  it('turns a denied read by experiment name into not-found, keeping the real reasons', () => {
    expect(asMissingName(op('read', 'name'), ANONYMOUS, denied)).toEqual(
      deny(
        ...denied.reasons,
        reason('not-found', "no experiment named 'secret' that anonymous may read"),
      ),
    )
  })

  it.each([
    ['an allowed read', op('read', 'name'), allow(reason('grant-allows', 'READ'))],
    ['a read by id', op('read', 'id'), denied],
    ['a create by name', op('create', 'name'), denied],
    ['a registered model by name', op('read', 'name', 'registered-model'), denied],
  ])('leaves %s as it is', (_, operation, decision) => {
    expect(asMissingName(operation, ANONYMOUS, decision)).toBe(decision)
  })
})
