/** Small markdown helpers the report sections share. */

/** A number with `digits` decimals, or n/a when there is none. */
export const fixed = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a')

/** Column for the machine's CPU used by processes outside the bench: the noise indicator. */
export const OTHERS = "others' CPU (cores)"

export function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')
}
