/** Runs the Debian nginx as a plain reverse proxy with a generated config in a temp folder, for comparison with the gateway. */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '../../dist/mlflow/server-process.js'
import { startProcess } from './procs.mjs'

export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx'

/** `nginx -v` prints e.g. "nginx version: nginx/1.22.1" on stderr. */
export function nginxVersion() {
  const r = spawnSync(NGINX_BIN, ['-v'], { encoding: 'utf8' })
  return /nginx\/(\S+)/.exec(`${r.stderr}${r.stdout}`)?.[1] ?? 'unknown'
}

/**
 * A minimal reverse-proxy config that does what the gateway does on each request: keep-alive to
 * the upstream, set Host and X-Forwarded-*, add a request id both ways and write one log line.
 * Everything nginx writes stays under `prefix`.
 */
export function nginxConfig({ prefix, port, upstreamPort, keepalive }) {
  return `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log ${prefix}/access.log;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  upstream backend {
    server 127.0.0.1:${upstreamPort};
    keepalive ${keepalive};
    keepalive_requests 1000000;
    keepalive_timeout 60s;
  }
  server {
    listen 127.0.0.1:${port};
    # Node's server never closes a keep-alive client after N requests; neither should nginx here.
    keepalive_requests 1000000;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $proxy_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Request-Id $request_id;
      add_header X-Request-Id $request_id always;
    }
  }
}
`
}

async function answers(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) })
    await res.arrayBuffer()
    return res.ok
  } catch {
    return false
  }
}

/** Starts nginx in the foreground (`daemon off`) and waits until it proxies a request. */
export async function startNginx({ upstreamPort, keepalive }) {
  const prefix = mkdtempSync(join(tmpdir(), 'mlflow-gate-bench-nginx-'))
  for (const dir of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(prefix, dir))
  }
  const port = await freePort()
  const conf = join(prefix, 'nginx.conf')
  writeFileSync(conf, nginxConfig({ prefix, port, upstreamPort, keepalive }))
  // -e: the error log before the config is read, else nginx tries /var/log/nginx/error.log.
  const proc = startProcess('nginx', NGINX_BIN, [
    '-e',
    join(prefix, 'error.log'),
    '-c',
    conf,
    '-p',
    prefix,
  ])
  const url = `http://127.0.0.1:${port}`
  // An interrupted bench never reaches stop(); the folder is removed on exit all the same.
  const removePrefix = () => rmSync(prefix, { recursive: true, force: true })
  process.on('exit', removePrefix)
  const stop = async () => {
    // SIGQUIT is nginx's graceful shutdown; the group kill also reaches the worker.
    await proc.stop('SIGQUIT', 5_000)
    process.off('exit', removePrefix)
    removePrefix()
  }
  for (let i = 0; i < 100; i++) {
    if (await answers(`${url}/ready`)) return { url, pid: proc.pid, prefix, stop }
    await sleep(100)
  }
  await stop()
  throw new Error(`nginx did not start:\n${proc.stderrTail()}`)
}
