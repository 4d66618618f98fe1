/** The principals a grant or create right can be for, as options for a form's select and as text for tables. */
import { html, type Html } from '../html.js'
import type { GroupJson, UserJson } from './api-types.js'
import { callApi } from './call-api.js'
import { ADMIN_PREFIX, type PageContext } from './page-route.js'
import { seg } from './ui.js'

export type Option = readonly [value: string, label: string]

export async function principalOptions(ctx: PageContext): Promise<Option[]> {
  const [{ users }, { groups }] = await Promise.all([
    callApi<{ users: UserJson[] }>(ctx, 'listUsers'),
    callApi<{ groups: GroupJson[] }>(ctx, 'listGroups'),
  ])
  return [
    ['anonymous', 'anonymous (everyone)'],
    ['authenticated', 'authenticated (signed-in users)'],
    ...users.map((u) => [`user:${u.name}`, `user ${u.name}`] as const),
    ...groups.map((g) => [`group:${g.name}`, `group ${g.name}`] as const),
  ]
}

/** `user:alice` as a link to alice's page, `group:ml` to the group's, the others as words. */
export function principalLink(ref: string): Html {
  if (ref.startsWith('user:'))
    return html`<a href="${ADMIN_PREFIX}/users/${seg(ref.slice(5))}">${ref.slice(5)}</a>
      <span class="muted">(user)</span>`
  if (ref.startsWith('group:'))
    return html`<a href="${ADMIN_PREFIX}/groups/${seg(ref.slice(6))}">${ref.slice(6)}</a>
      <span class="muted">(group)</span>`
  return html`<strong>${ref}</strong>`
}
