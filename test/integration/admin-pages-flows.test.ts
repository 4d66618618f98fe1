/** Changes made through the admin and account pages, over HTTP against the real MLflow: each is the admin API's change (same rules, same refusals) and is in force at once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from '../harness/admin-api.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { flashOf, getPage, postAndFollow, postForm, signIn } from '../harness/pages.js'
import { USERS } from '../harness/users.js'

const mlflow = useMlflow()
let gw: TestGateway
let admin: { cookie: string }
let teamId = ''
let secretId = ''

beforeAll(async () => {
  const create = (name: string) =>
    callMlflow<{ experiment_id: string }>(mlflow(), '/api/2.0/mlflow/experiments/create', { name })
  teamId = (await create('team-alpha')).experiment_id
  secretId = (await create('secret-beta')).experiment_id
  gw = await startTestGateway(mlflow().url, {
    access: {
      anonymous: true,
      users: [
        { name: 'admin', password_hash: USERS.admin.hash, admin: true },
        { name: 'reader', password_hash: USERS.reader.hash, groups: ['ml-team'] },
        { name: 'editor', password_hash: USERS.editor.hash },
      ],
      grants: [
        { to: 'anonymous', experiments: ['team-*'], permission: 'READ' },
        { to: 'group:ml-team', experiments: ['team-*'], permission: 'EDIT' },
      ],
    },
  })
  admin = { cookie: await signIn(gw.url, 'admin') }
})
afterAll(async () => {
  await gw?.close()
})

const NEW_PW = 'a-long-new-password-1'
const basicFor = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
})
const readExperiment = (id: string, headers: Record<string, string>) =>
  send(gw.url, {
    path: `/api/2.0/mlflow/experiments/get?experiment_id=${id}`,
    auth: false,
    headers,
  })

describe('users', () => {
  it('are created with the API’s rules, and the page says what went wrong', async () => {
    const short = await postAndFollow(gw.url, '/_gate/admin/users', admin, {
      name: 'dana',
      password: 'short',
    })
    expect(flashOf(short.post)).toEqual({
      kind: 'error',
      text: 'Password: a password must be at least 12 characters',
    })
    expect(short.page.body).toContain('role="alert">Password: a password must be at least 12')
    expect((await api(gw, 'GET', '/users/dana')).status).toBe(404)

    const made = await postAndFollow(gw.url, '/_gate/admin/users', admin, {
      name: 'dana',
      password: NEW_PW,
    })
    expect(made.post.headers.location).toBe('/_gate/admin/users/dana')
    expect(made.page.status).toBe(200)
    expect(made.page.body).toContain('role="status">User dana created.')
    // Shown once: the page clears the message.
    expect(String(made.page.headers['set-cookie'])).toContain('mlflow-gate-flash=; ')
    expect((await readExperiment(teamId, basicFor('dana', NEW_PW))).status).toBe(200)

    const again = await postForm(gw.url, '/_gate/admin/users', admin, { name: 'DANA' })
    expect(flashOf(again)).toEqual({ kind: 'error', text: "User 'DANA' already exists" })
  })

  it('are disabled and enabled, made admin and not, at once', async () => {
    const off = await postAndFollow(gw.url, '/_gate/admin/users/dana/disable', admin)
    expect(off.page.body).toContain('User dana disabled')
    expect((await readExperiment(teamId, basicFor('dana', NEW_PW))).status).toBe(401)
    await postForm(gw.url, '/_gate/admin/users/dana/enable', admin)
    expect((await readExperiment(secretId, basicFor('dana', NEW_PW))).status).toBe(403)
    await postForm(gw.url, '/_gate/admin/users/dana/admin', admin, { admin: 'true' })
    expect((await readExperiment(secretId, basicFor('dana', NEW_PW))).status).toBe(200)
    await postForm(gw.url, '/_gate/admin/users/dana/admin', admin, { admin: 'false' })
    expect((await readExperiment(secretId, basicFor('dana', NEW_PW))).status).toBe(403)
  })

  it('refuse what the API refuses: locking oneself out, the config file’s admin flag', async () => {
    const self = await postForm(gw.url, '/_gate/admin/users/admin/disable', admin)
    expect(flashOf(self)?.text).toBe('You cannot disable yourself; another admin can')
    const config = await postForm(gw.url, '/_gate/admin/users/reader/admin', admin, {
      admin: 'true',
    })
    expect(flashOf(config)?.text).toContain('managed by the config file')
    const page = await getPage(gw.url, '/_gate/admin/users/admin', admin)
    expect(page.body).toContain('You cannot disable yourself')
  })

  it('get a new password (their sessions end), and are deleted after a confirm step', async () => {
    const session = await signIn(gw.url, 'editor')
    const mismatch = await postForm(gw.url, '/_gate/admin/users/editor/password', admin, {
      password: NEW_PW,
      confirm: 'something-else-entirely',
    })
    expect(flashOf(mismatch)?.text).toBe('The two new passwords differ.')
    await postForm(gw.url, '/_gate/admin/users/editor/password', admin, {
      password: NEW_PW,
      confirm: NEW_PW,
    })
    expect((await getPage(gw.url, '/_gate/account/', { cookie: session })).status).toBe(303)
    expect((await readExperiment(teamId, basicFor('editor', NEW_PW))).status).toBe(200)

    const confirm = await getPage(gw.url, '/_gate/admin/users/dana/delete', admin)
    expect(confirm.body).toContain('Delete user dana?')
    expect(confirm.body).toContain('action="/_gate/admin/users/dana/delete"')
    expect((await api(gw, 'GET', '/users/dana')).status).toBe(200)
    const gone = await postForm(gw.url, '/_gate/admin/users/dana/delete', admin)
    expect(gone.headers.location).toBe('/_gate/admin/users')
    expect((await api(gw, 'GET', '/users/dana')).status).toBe(404)
  })
})

describe('groups', () => {
  it('are created, get and lose members (with their grants), and are deleted after a confirm step', async () => {
    await postForm(gw.url, '/_gate/admin/groups', admin, { name: 'auditors' })
    await postForm(gw.url, '/_gate/admin/grants', admin, {
      to: 'group:auditors',
      resource: 'experiment-id',
      pattern: secretId,
      permission: 'READ',
    })
    const editor = basicFor('editor', NEW_PW)
    expect((await readExperiment(secretId, editor)).status).toBe(403)
    const added = await postAndFollow(gw.url, '/_gate/admin/groups/auditors/members', admin, {
      user: 'editor',
    })
    expect(added.page.body).toContain('editor added to auditors.')
    expect(added.page.body).toContain('action="/_gate/admin/groups/auditors/members/editor/remove"')
    expect((await readExperiment(secretId, editor)).status).toBe(200)
    await postForm(gw.url, '/_gate/admin/groups/auditors/members/editor/remove', admin)
    expect((await readExperiment(secretId, editor)).status).toBe(403)
    // A membership from the config file stays.
    const config = await postForm(
      gw.url,
      '/_gate/admin/groups/ml-team/members/reader/remove',
      admin,
    )
    expect(flashOf(config)?.text).toContain('managed by the config file')

    expect((await getPage(gw.url, '/_gate/admin/groups/auditors/delete', admin)).body).toMatch(
      /removes its\s+1\s+grant,/,
    )
    await postForm(gw.url, '/_gate/admin/groups/auditors/delete', admin)
    expect((await api(gw, 'GET', '/groups/auditors')).status).toBe(404)
  })
})

describe('grants', () => {
  it('are added, listed by principal and kind, changed and revoked, each in force at once', async () => {
    const editor = basicFor('editor', NEW_PW)
    const added = await postAndFollow(gw.url, '/_gate/admin/grants', admin, {
      to: 'user:editor',
      resource: 'experiment',
      pattern: 'secret-*',
      permission: 'READ',
    })
    const id = /grant #(\d+)/.exec(flashOf(added.post)!.text)![1]!
    expect(flashOf(added.post)?.text).toBe(
      `Granted READ on experiment 'secret-*' to user:editor (grant #${id}).`,
    )
    expect((await readExperiment(secretId, editor)).status).toBe(200)

    const mine = await getPage(gw.url, '/_gate/admin/grants?to=user%3Aeditor', admin)
    expect(mine.body).toContain(`>#${id}</th>`)
    expect(mine.body).not.toContain('access.grants[0]')
    const byKind = await getPage(gw.url, '/_gate/admin/grants?resource=experiment-id', admin)
    expect(byKind.body).not.toContain(`>#${id}</th>`)
    const byName = await getPage(gw.url, '/_gate/admin/grants?q=SECRET', admin)
    expect(byName.body).toContain(`>#${id}</th>`)

    const rename = (h: Record<string, string>) =>
      send(gw.url, {
        method: 'POST',
        path: '/api/2.0/mlflow/experiments/update',
        auth: false,
        headers: { ...h, 'content-type': 'application/json' },
        body: JSON.stringify({ experiment_id: secretId, new_name: 'secret-beta' }),
      })
    expect((await rename(editor)).status).toBe(403)
    const changed = await postForm(gw.url, `/_gate/admin/grants/${id}/permission`, admin, {
      permission: 'EDIT',
      to: 'user:editor',
    })
    // Back to the list as it was filtered.
    expect(changed.headers.location).toBe('/_gate/admin/grants?to=user%3Aeditor')
    expect(flashOf(changed)?.text).toBe(`Grant #${id} now gives EDIT.`)
    expect((await rename(editor)).status).toBe(200)

    await postForm(gw.url, `/_gate/admin/grants/${id}/revoke`, admin)
    expect((await readExperiment(secretId, editor)).status).toBe(403)
  })

  it('deny grants are marked and take access away; config grants cannot be revoked here', async () => {
    const denied = await postForm(gw.url, '/_gate/admin/grants', admin, {
      to: 'user:reader',
      resource: 'experiment-id',
      pattern: teamId,
      permission: 'READ',
      deny: 'on',
    })
    expect(flashOf(denied)?.text).toMatch(/^Denied READ on experiment id/)
    expect((await readExperiment(teamId, basicFor('reader', USERS.reader.password))).status).toBe(
      403,
    )
    const list = await getPage(gw.url, '/_gate/admin/grants?to=user%3Areader', admin)
    expect(list.body).toMatch(/<tr class="deny">[\s\S]*>DENY</)
    const denyId = /#(\d+)/.exec(flashOf(denied)!.text)![1]
    await postForm(gw.url, `/_gate/admin/grants/${denyId}/revoke`, admin)
    expect((await readExperiment(teamId, basicFor('reader', USERS.reader.password))).status).toBe(
      200,
    )
    const config = await getPage(gw.url, '/_gate/admin/grants', admin)
    const first = /#1<\/th>[\s\S]*?<\/tr>/.exec(config.body)![0]
    expect(first).toContain('in config')
    expect(first).not.toContain('/revoke')
    const refused = await postForm(gw.url, '/_gate/admin/grants/1/revoke', admin)
    expect(flashOf(refused)?.text).toContain('managed by the config file (access.grants[0])')
    const bad = await postForm(gw.url, '/_gate/admin/grants', admin, {
      to: 'user:nobody',
      resource: 'experiment-id',
      pattern: 'abc',
      permission: 'READ',
    })
    expect(flashOf(bad)?.kind).toBe('error')
  })
})

describe('create rights', () => {
  it('are added and revoked', async () => {
    const create = (name: string) =>
      send(gw.url, {
        method: 'POST',
        path: '/api/2.0/mlflow/experiments/create',
        auth: false,
        headers: { ...basicFor('editor', NEW_PW), 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      })
    expect((await create('sandbox-1')).status).toBe(403)
    const added = await postForm(gw.url, '/_gate/admin/create-rights', admin, {
      to: 'user:editor',
      kind: 'experiment',
      pattern: 'sandbox-*',
    })
    const id = /#(\d+)/.exec(flashOf(added)!.text)![1]
    expect((await create('sandbox-1')).status).toBe(200)
    await postForm(gw.url, `/_gate/admin/create-rights/${id}/revoke`, admin)
    expect((await create('sandbox-2')).status).toBe(403)
  })
})

describe('tokens', () => {
  it('each user makes their own, sees it once, uses it and revokes it', async () => {
    const reader = { cookie: await signIn(gw.url, 'reader') }
    const made = await postForm(gw.url, '/_gate/account/tokens', reader, {
      name: 'laptop',
      expires_in_days: '30',
      read_only: 'on',
    })
    expect(made.status).toBe(201)
    expect(made.headers['cache-control']).toBe('no-store')
    const token = /value="(mlgt_[^"]+)"/.exec(made.body)![1]!
    expect(made.body).toContain('shown only once')
    const bearer = { authorization: `Bearer ${token}` }
    expect((await readExperiment(teamId, bearer)).status).toBe(200)

    const account = await getPage(gw.url, '/_gate/account/', reader)
    expect(account.body).toContain('laptop')
    expect(account.body).not.toContain(token)
    const id = token.split('_')[1]!
    const again = await postForm(gw.url, '/_gate/account/tokens', reader, { name: 'laptop' })
    expect(flashOf(again)?.text).toBe("'reader' already has a token named 'laptop'")
    // Not someone else's: the account page revokes only one's own.
    const editorsOwn = await postForm(
      gw.url,
      '/_gate/account/tokens',
      {
        cookie: await signIn(gw.url, 'editor', NEW_PW),
      },
      { name: 'ci' },
    )
    const editorToken = /value="(mlgt_[^"]+)"/.exec(editorsOwn.body)![1]!.split('_')[1]!
    const notMine = await postForm(gw.url, `/_gate/account/tokens/${editorToken}/revoke`, reader)
    expect(flashOf(notMine)?.kind).toBe('error')

    await postForm(gw.url, `/_gate/account/tokens/${id}/revoke`, reader)
    expect((await readExperiment(teamId, bearer)).status).toBe(401)

    const all = await getPage(gw.url, '/_gate/admin/tokens', admin)
    expect(all.body).toContain(editorToken)
    // A revoked token is gone, not listed as revoked.
    expect(all.body).not.toContain(id)
    await postForm(gw.url, `/_gate/admin/tokens/${editorToken}/revoke`, admin)
    const mine = await getPage(gw.url, '/_gate/admin/tokens?user=editor', admin)
    expect(mine.body).not.toContain(editorToken)
  })

  it('admins create the first token of a user without a password', async () => {
    await postForm(gw.url, '/_gate/admin/users', admin, { name: 'robot' })
    const made = await postForm(gw.url, '/_gate/admin/tokens', admin, { user: 'robot', name: 'ci' })
    expect(made.status).toBe(201)
    const token = /value="(mlgt_[^"]+)"/.exec(made.body)![1]!
    expect((await readExperiment(teamId, { authorization: `Bearer ${token}` })).status).toBe(200)
  })
})

describe('the account page', () => {
  it('changes one’s own password: other sessions end, this browser gets a fresh one', async () => {
    const other = await signIn(gw.url, 'reader')
    const here = { cookie: await signIn(gw.url, 'reader') }
    const wrong = await postForm(gw.url, '/_gate/account/password', here, {
      current_password: 'not-it',
      new_password: NEW_PW,
      confirm: NEW_PW,
    })
    expect(flashOf(wrong)?.text).toBe('The current password is wrong')
    const { post, page } = await postAndFollow(gw.url, '/_gate/account/password', here, {
      current_password: USERS.reader.password,
      new_password: NEW_PW,
      confirm: NEW_PW,
    })
    expect(page.status).toBe(200)
    expect(page.body).toContain('Password changed.')
    expect((await getPage(gw.url, '/_gate/account/', { cookie: other })).status).toBe(303)
    expect((await getPage(gw.url, '/_gate/account/', here)).status).toBe(303)
    expect(post.headers['set-cookie']?.join()).toMatch(/mlflow-gate-session=[\w-]{43}; Path=\//)
  })
})

describe('reading pages', () => {
  it('the audit log filters by who, path and decision, newest first, a page at a time', async () => {
    await readExperiment(secretId, basicFor('editor', NEW_PW))
    // Events reach the store in batches.
    let page = ''
    const wanted = `GET /api/2.0/mlflow/experiments/get`
    for (let i = 0; i < 50 && !page.includes(wanted); i++) {
      await new Promise((r) => setTimeout(r, 200))
      page = (await getPage(gw.url, '/_gate/admin/audit?principal=editor&allow=false', admin)).body
    }
    expect(page).toContain(wanted)
    expect(page).toContain('>denied<')
    expect(page).not.toContain('>allowed<')
    const wrong = await getPage(gw.url, '/_gate/admin/audit?since=yesterday', admin)
    expect(wrong.status).toBe(200)
    expect(wrong.body).toMatch(/role="alert">Since: /)
    // 50 a page: with more than 50 events stored, the first page links to older ones, and back.
    for (let i = 0; i < 55; i++) await readExperiment(teamId, {})
    await eventually(
      () => api(gw, 'GET', '/audit-events?limit=60'),
      (r) => r.body.events.length > 50,
    )
    const first = (await getPage(gw.url, '/_gate/admin/audit', admin)).body
    const older = /href="(\/_gate\/admin\/audit\?before_id=\d+)">Older/.exec(first)![1]!
    const second = await getPage(gw.url, older, admin)
    expect(second.body).toContain('Older events')
    expect(second.body).toContain('← Newest')
  })

  it('explain says why a user may or may not make a request, with the API’s code', async () => {
    const q = (user: string, path: string) =>
      `/_gate/admin/explain?user=${user}&method=GET&path=${encodeURIComponent(path)}`
    const allowed = await getPage(
      gw.url,
      q('reader', `/api/2.0/mlflow/experiments/get?experiment_id=${teamId}`),
      admin,
    )
    expect(allowed.body).toContain('>Allowed<')
    expect(allowed.body).toContain('GET /api/2.0/mlflow/experiments/get [read]')
    expect(allowed.body).toContain('grant-allows')
    const denied = await getPage(
      gw.url,
      q('reader', `/api/2.0/mlflow/experiments/get?experiment_id=${secretId}`),
      admin,
    )
    expect(denied.body).toContain('>Denied<')
    expect(denied.body).toContain('no-grant')
    const refused = await getPage(gw.url, q('', '/api/2.0/mlflow/runs/get'), admin)
    expect(refused.body).toContain('Refused before deciding')
    const unknown = await getPage(gw.url, q('nobody', '/'), admin)
    expect(unknown.body).toMatch(/role="alert">No user named &#39;nobody&#39;/)
  })

  it('who can access an experiment: each principal, the permission decided, and where it comes from', async () => {
    await postForm(gw.url, '/_gate/admin/grants', admin, {
      to: 'user:editor',
      resource: 'experiment-id',
      pattern: teamId,
      permission: 'READ',
      deny: 'on',
    })
    for (const ask of [teamId, 'team-alpha']) {
      const res = await getPage(gw.url, `/_gate/admin/access?experiment=${ask}`, admin)
      expect(res.status).toBe(200)
      const row = (who: string) =>
        new RegExp(`<tr[^>]*>\\s*<th scope="row">[\\s\\S]*?${who}[\\s\\S]*?</tr>`).exec(
          res.body,
        )?.[0] ?? ''
      expect(row('Anonymous visitors')).toMatch(/>READ<[\s\S]*anonymous \(everyone\), pattern/)
      expect(row('>reader<')).toMatch(/>EDIT<[\s\S]*group[\s\S]*ml-team/)
      expect(row('>editor<')).toMatch(/>none<[\s\S]*DENY READ[\s\S]*direct grant, by id/)
      expect(row('>admin<')).toMatch(/>MANAGE<[\s\S]*admins may do everything/)
    }
    const missing = await getPage(gw.url, '/_gate/admin/access?experiment=no-such', admin)
    expect(missing.body).toContain('MLflow has no experiment with the id or name')
  })
})
