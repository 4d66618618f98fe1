/** Progress for long CLI jobs on stderr: a bar on a terminal, a plain line every 10% otherwise. */

export type ProgressStream = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean }

/** Below this many steps a job is quick and says nothing about its progress. */
export const PROGRESS_THRESHOLD = 500
const WIDTH = 30

/**
 * Returns the callback a job calls after each step. Output is only written when the shown value
 * moves (a percent on a terminal, a tenth otherwise), so a million steps cost a hundred writes.
 */
export function progressReporter(
  label: string,
  stream: ProgressStream = process.stderr,
  threshold = PROGRESS_THRESHOLD,
): (done: number, total: number) => void {
  let shown = -1
  return (done, total) => {
    if (total < threshold) return
    if (stream.isTTY) {
      const percent = Math.floor((done / total) * 100)
      if (percent === shown) return
      shown = percent
      const filled = Math.round((done / total) * WIDTH)
      stream.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(percent).padStart(3)}% ${done}/${total}${done === total ? '\n' : ''}`,
      )
      return
    }
    const tenth = Math.floor((done / total) * 10)
    if (tenth === shown) return
    shown = tenth
    stream.write(`${label}: ${done}/${total} (${tenth * 10}%)\n`)
  }
}
