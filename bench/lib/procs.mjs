/** Starts the bench's helper processes and guarantees that each one is stopped by its pid, even when the bench fails. */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'

/** pid -> name of every process this bench started and has not yet seen exit. */
const live = new Map()

// Last line of defence: whatever path the bench leaves by, nothing it started outlives it.
// Each child is the leader of its own process group, so -pid also reaches nginx's worker.
process.on('exit', () => {
  for (const pid of live.keys()) killGroup(pid, 'SIGKILL')
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping the processes it started\n`)
    process.exit(130)
  })
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}

/** Keeps the last few KiB a child wrote, for an error message when it misbehaves. */
function tail(stream, limit = 8192) {
  let text = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk) => {
    text = (text + chunk).slice(-limit)
  })
  return () => text
}

/**
 * Spawns `command` in its own process group (detached) so that stopping it by pid also stops
 * anything it forks. stdout and stderr are piped: a child that blocks on a full pipe would
 * distort a benchmark, so both are always drained.
 */
export function startProcess(name, command, args, options = {}) {
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  })
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`)
  live.set(child.pid, name)
  const exited = once(child, 'exit').then(([code, signal]) => {
    live.delete(child.pid)
    return { code, signal }
  })
  const stderrTail = tail(child.stderr)
  return {
    name,
    pid: child.pid,
    child,
    exited,
    stderrTail,
    stop: (signal, graceMs) => stopProcess({ pid: child.pid, exited }, signal, graceMs),
  }
}

/** Sends `signal` to the group, then SIGKILL if it has not exited after `graceMs`. */
export async function stopProcess({ pid, exited }, signal = 'SIGTERM', graceMs = 5_000) {
  if (!live.has(pid)) return
  killGroup(pid, signal)
  const timedOut = await Promise.race([
    exited.then(() => false),
    sleep(graceMs, undefined, { ref: false }).then(() => true),
  ])
  if (timedOut) {
    killGroup(pid, 'SIGKILL')
    await exited
  }
}

/**
 * Resolves with the first JSON line a child prints on stdout (its "ready" message). Rejects,
 * with what the child wrote on stderr, if it exits or stays silent for `timeoutMs` first.
 */
export async function firstJsonLine(proc, timeoutMs = 30_000) {
  let buffer = ''
  proc.child.stdout.setEncoding('utf8')
  const line = new Promise((resolve) => {
    const onData = (chunk) => {
      buffer += chunk
      const end = buffer.indexOf('\n')
      if (end === -1) return
      proc.child.stdout.off('data', onData)
      // Keep draining so a chatty child never blocks on a full pipe.
      proc.child.stdout.resume()
      resolve(buffer.slice(0, end))
    }
    proc.child.stdout.on('data', onData)
  })
  // The failure race resolves (never rejects) so it cannot become an unhandled rejection when the
  // child exits normally long after it printed its line.
  const failure = Promise.race([
    proc.exited.then(({ code, signal }) => `exited (code ${code}, signal ${signal})`),
    sleep(timeoutMs, undefined, { ref: false }).then(
      () => `printed nothing within ${timeoutMs} ms`,
    ),
  ]).then((why) => new Error(`${proc.name} ${why}:\n${proc.stderrTail()}`))
  const first = await Promise.race([line, failure])
  if (first instanceof Error) throw first
  return JSON.parse(first)
}

/**
 * Collects all of a child's stdout and resolves with it once the child exits with code 0;
 * used for one-shot children such as the load generator.
 */
export async function runToCompletion(proc) {
  let out = ''
  proc.child.stdout.setEncoding('utf8')
  proc.child.stdout.on('data', (chunk) => (out += chunk))
  const [{ code, signal }] = await Promise.all([proc.exited, once(proc.child.stdout, 'end')])
  if (code !== 0) {
    throw new Error(`${proc.name} failed (code ${code}, signal ${signal}):\n${proc.stderrTail()}`)
  }
  return out
}
