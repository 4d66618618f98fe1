/** The users every test world uses: fixed passwords with fast (pbkdf2, 1000 rounds) Werkzeug hashes. */

export const USERS = {
  admin: {
    password: 'admin-pw',
    hash: 'pbkdf2:sha256:1000$grvv75d1YAkIOsW6$242e2c3522e64e94fe40e8e7117bce235a1f20a2ff94830d3b4070e3a00c265e',
  },
  guest: {
    password: 'guest-pw',
    hash: 'pbkdf2:sha256:1000$tSMrzMv6bvJACUOy$b73f93ff8e643895373dd7da7f186b8f9b1859739b5f04c39eeaf05de419754c',
  },
  reader: {
    password: 'reader-pw',
    hash: 'pbkdf2:sha256:1000$Ac53NQvEVsYQ2RfL$5ba898cd4bbe551b5dffeaa775be458c7566601d9c78d747950b21d05a692d20',
  },
  editor: {
    password: 'editor-pw',
    hash: 'pbkdf2:sha256:1000$qJOVAH4TS5eIGqWf$31ab8e319f65768ee7dfaadd3b255ae00fe0a3b0aa3e8697c2cbb27e702f1505',
  },
  creator: {
    password: 'creator-pw',
    hash: 'pbkdf2:sha256:1000$xeVI7h7g7SOC8gI1$4d03c5baded14de8c78ba002050c2e0113b2242203c52be64338ba27214e0e03',
  },
} as const

export type UserName = keyof typeof USERS

/** The Authorization header the MLflow client sends for MLFLOW_TRACKING_USERNAME/PASSWORD. */
export function basic(user: UserName): string {
  return `Basic ${Buffer.from(`${user}:${USERS[user].password}`).toString('base64')}`
}

/** The access section with just an admin, for tests about forwarding rather than decisions. */
export const ADMIN_ONLY = {
  users: [{ name: 'admin', password_hash: USERS.admin.hash, admin: true }],
}
