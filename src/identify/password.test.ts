import { describe, expect, it } from 'vitest'
import { hashFormatProblem, hashPassword, verifyPassword } from './password.js'

describe('password hashes', () => {
  it('hashes in Werkzeug scrypt format and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse')
    expect(hash).toMatch(/^scrypt:32768:8:1\$[A-Za-z0-9]{16}\$[0-9a-f]{128}$/)
    expect(await verifyPassword('correct horse', hash)).toBe(true)
    expect(await verifyPassword('correct horsE', hash)).toBe(false)
  })

  it('verifies hashes written by Werkzeug (scrypt and pbkdf2), as MLflow stores them', async () => {
    // Generated with werkzeug.security.generate_password_hash("s3cret", method=...) from the venv.
    const scrypt =
      'scrypt:32768:8:1$8bZbmHQhJjr7YZsn$d657047d5224af6c8a97b9b6a41dd55b6d6052a48c4d3d9e86e61e18242cae6b6b62406f63a8598b338a5db2daf8acc1d451d2b79440da69a7c1d174ad75de2a'
    const pbkdf2 =
      'pbkdf2:sha256:1000$IZhA9aWYQ0qXsMJd$0aee8346da11eff96947ce8a5c72f4c386d9e4ca851b0f99aa1adfdaa26f98eb'
    expect(hashFormatProblem(scrypt)).toBeUndefined()
    expect(hashFormatProblem(pbkdf2)).toBeUndefined()
    expect(await verifyPassword('s3cret', scrypt)).toBe(true)
    expect(await verifyPassword('s3cret', pbkdf2)).toBe(true)
    expect(await verifyPassword('S3cret', scrypt)).toBe(false)
    expect(await verifyPassword('S3cret', pbkdf2)).toBe(false)
    expect(hashFormatProblem('plain-text')).toMatch(/must be/)
  })
})
