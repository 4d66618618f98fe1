/** Reads resident memory and CPU time of other processes from /proc, so the measured process does no bookkeeping of its own. */
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'

/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat. */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** Resident set size of `pid` in bytes (VmRSS), or undefined once the process is gone. */
export function rssBytes(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]
    return kib === undefined ? undefined : Number(kib) * 1024
  } catch {
    return undefined
  }
}

/** Fields of /proc/<pid>/stat after the command name (which may itself contain spaces). */
function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

/** User+system CPU seconds `pid` has used so far (0 when it is gone). */
export function cpuSeconds(pid) {
  const f = statFields(pid)
  // After the name: state(0) ppid(1) pgrp(2) ... utime(11) stime(12).
  return f ? (Number(f[11]) + Number(f[12])) / CLK_TCK : 0
}

/**
 * CPU seconds of every live process in process group `pgid` (MLflow's uvicorn workers, nginx's
 * master and worker). Processes that already exited are not counted, so take both readings
 * while the group is running.
 */
export function groupCpuSeconds(pgid) {
  let total = 0
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const f = statFields(name)
    if (f && Number(f[2]) === pgid) total += (Number(f[11]) + Number(f[12])) / CLK_TCK
  }
  return total
}

/** Busy (not idle, not iowait) CPU seconds of the whole machine since boot, summed over cores. */
export function systemBusySeconds() {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n', 1)[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number)
  const total = fields.reduce((a, b) => a + b, 0)
  // user nice system idle iowait irq softirq steal ...: idle and iowait are not work.
  return (total - fields[3] - fields[4]) / CLK_TCK
}

/** Samples the RSS of `pid` every `intervalMs` until stop() returns the samples. */
export function sampleRss(pid, intervalMs = 100) {
  const t0 = performance.now()
  const samples = []
  const take = () => {
    const rss = rssBytes(pid)
    if (rss !== undefined) samples.push({ ms: Math.round(performance.now() - t0), rss })
  }
  take()
  const timer = setInterval(take, intervalMs)
  return {
    stop() {
      clearInterval(timer)
      take()
      return samples
    },
  }
}
