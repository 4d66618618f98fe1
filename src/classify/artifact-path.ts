/** Reads artifact paths from requests, refusing any that MLflow could read as a different path. */
import { GatewayError } from '../server/errors.js'

const bad = (why: string) => new GatewayError('GW_BAD_REQUEST', why)

/**
 * Characters refused anywhere in an artifact path. MLflow passes every artifact path through
 * `validate_path_is_safe` (mlflow/utils/uri.py), which percent-decodes it *again* (up to ten
 * times, so `%252e%252e` is `..` to it), escapes control characters to `%xx`, and round-trips it
 * through `urllib.parse`, which drops an empty `?query` or `;params` and a `#fragment`. A path
 * with any of these could be decided as one path and served as another, so it is refused.
 * A backslash is a separator to Windows stores (`_OS_ALT_SEPS`).
 */
const REFUSED_CHARS = /[\x00-\x1f\x7f\\%#?;]/

/**
 * `urllib.parse.urlsplit` reads `letters:` at the start as a URI scheme (and lowercases it), and
 * `validate_path_is_safe` turns a `file:` URI into a local path; `C:` is a Windows drive.
 */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/

/**
 * The segments of a path relative to an artifact root, as MLflow will use it, or a 400. `''` is
 * the root itself (no segments). One trailing `/` is ignored (it names the same folder); `.`,
 * `..` and empty segments, absolute paths, leading spaces (stripped by `urlsplit`) and the
 * characters above are refused, whatever MLflow would make of them.
 */
export function artifactPathSegments(path: string, what = 'artifact path'): string[] {
  if (path === '') return []
  const refuse = (why: string) => bad(`${what} '${printable(path)}' refused: ${why}`)
  if (REFUSED_CHARS.test(path))
    throw refuse('it contains a control character, "\\", "%", "#", "?" or ";"')
  if (path.startsWith('/')) throw refuse('it is absolute')
  if (path.startsWith(' ')) throw refuse('it starts with a space')
  if (SCHEME.test(path)) throw refuse('it starts like a URI scheme or a drive ("x:")')
  const segments = path.split('/')
  if (segments.at(-1) === '') segments.pop()
  if (segments.some((s) => s === '')) throw refuse('it contains an empty segment ("//")')
  if (segments.some((s) => s === '.' || s === '..')) throw refuse('it contains "." or ".."')
  return segments
}

/**
 * A multipart upload's `path` is reduced by MLflow to a file name (handlers.py
 * `_get_multipart_upload_file_name`: `ntpath.basename`, decoded, then basename again), so clients
 * before 3.18 may send a local absolute or Windows path there. Only a name that could decode or
 * resolve to something else is refused.
 */
export function checkArtifactFileName(path: string, what = 'file name'): void {
  const name = path.split(/[/\\:]/).at(-1) ?? ''
  if (/[\x00-\x1f\x7f%]/.test(path) || name === '' || name === '.' || name === '..') {
    throw bad(`${what} '${printable(path)}' refused: it is no plain file name`)
  }
}

/** Control characters shown escaped, so an error message cannot forge log lines. */
function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}
