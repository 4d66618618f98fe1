import { describe, expect, it } from 'vitest'
import { safeNext } from './next.js'

describe('safeNext', () => {
  it.each([
    ['/', '/'],
    ['/#/experiments/3', '/#/experiments/3'],
    ['/?o=1#/models', '/?o=1#/models'],
    ['/_gate/admin/users?x=1', '/_gate/admin/users?x=1'],
    ['/_gate/account/', '/_gate/account/'],
  ])('keeps %s', (input, out) => expect(safeNext(input)).toBe(out))

  it.each([
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example/',
    '\\\\evil.example',
    'javascript:alert(1)',
    '/\t/evil.example',
    '/_gate/login?next=//evil',
    '/_gate/admin/../logout',
    '/_gate/api/v1/users',
    '/_gate/adminx',
    'evil',
    '',
    undefined,
    ['/'],
  ])('refuses %s', (input) => expect(safeNext(input)).toBe('/'))
})
