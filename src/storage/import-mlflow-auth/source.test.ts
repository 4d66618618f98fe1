import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseFrom } from './source.js'

describe('parseFrom (MLflow database_uri or a path)', () => {
  it.each([
    ['basic_auth.db', { kind: 'sqlite', path: resolve('basic_auth.db') }],
    ['/srv/auth.db', { kind: 'sqlite', path: '/srv/auth.db' }],
    // SQLAlchemy: three slashes and a relative path, four for an absolute one.
    ['sqlite:///basic_auth.db', { kind: 'sqlite', path: resolve('basic_auth.db') }],
    ['sqlite:////srv/auth.db', { kind: 'sqlite', path: '/srv/auth.db' }],
    ['sqlite:////srv/auth.db?mode=ro', { kind: 'sqlite', path: '/srv/auth.db' }],
    ['postgresql://u:p@db:5432/auth', { kind: 'postgres', url: 'postgresql://u:p@db:5432/auth' }],
    ['postgresql+psycopg2://u@db/auth', { kind: 'postgres', url: 'postgresql://u@db/auth' }],
    ['postgres://u@db/auth', { kind: 'postgres', url: 'postgresql://u@db/auth' }],
  ])('%s', (from, expected) => {
    expect(parseFrom(from)).toEqual(expected)
  })

  it.each([
    ['mysql+pymysql://u:p@db/auth', /'mysql' auth databases are not supported/],
    ['mssql://db/auth', /'mssql' auth databases are not supported/],
    ['sqlite://', /names no SQLite file/],
    ['sqlite:///:memory:', /names no SQLite file/],
  ])('refuses %s clearly', (from, message) => {
    expect(() => parseFrom(from)).toThrow(message)
  })
})
