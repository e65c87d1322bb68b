/** Starting the real server as a child process, and driving it with autocannon while recording every latency. */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import readline from "node:readline";
import http from "node:http";
import autocannon from "autocannon";

// ---------------------------------------------------------------------------------------------------------------
// The server

export type RunningServer = { url: string; pid: number; stop(): Promise<void> };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * `node --import tsx --import ./server/cli/server-only-loader.mjs server/cli/start.ts`, as `npm start` runs it, in its
 * own process group (start.ts may spawn `next build`), with its output prefixed on stderr.
 */
export async function startServer(options: {
  root: string;
  databaseUrl: string;
  distDir: string;
  timeoutMs: number;
  log: (line: string) => void;
  /** Extra node flags for the server process (e.g. --cpu-prof). */
  nodeArgs?: string[];
}): Promise<RunningServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), "--import", "tsx", "--import", "./server/cli/server-only-loader.mjs", "server/cli/start.ts"],
    {
      cwd: options.root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: options.databaseUrl,
        SLIPWAY_DEMO: "off",
        SLIPWAY_DIST_DIR: options.distDir,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
  );
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) readline.createInterface({ input: stream }).on("line", (line) => options.log(`  [server] ${line}`));
  }
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = code ?? (signal ? -1 : 0);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited !== undefined || !child.pid) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 5_000).unref());
    if ((await Promise.race([exit, timer])) === "timeout") {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
  };
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`the server exited (code ${exited}) before /api/healthz answered`);
    try {
      const res = await fetch(`${url}/api/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return { url, pid: child.pid!, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`the server did not answer /api/healthz with 200 within ${options.timeoutMs / 1000} s`);
}

// ---------------------------------------------------------------------------------------------------------------
// Load

/**
 * A request the load picks: `label` groups latencies (e.g. "common word", "rare word") in the breakdown; `origin`
 * (http://host:port) sends it to another server than the run's `url` (one of several replicas).
 */
export type Target = { label: string; path: string; origin?: string };

export type LoadResult = {
  name: string;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationS: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  byLabel: Array<{ label: string; n: number; p50: number; p95: number; p99: number }>;
  failures: string[];
};

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * Runs autocannon for `durationS` with `connections` keep-alive connections (no pipelining); every request is a fresh
 * pick from `pick()`. Latencies are recorded per response (autocannon's own histogram has no p95).
 */
export async function runLoad(options: {
  name: string;
  url: string;
  pick: () => Target;
  /** Cookie headers to send, one picked per request (signed-in sessions). */
  cookies: string[];
  connections: number;
  durationS: number;
  record?: boolean;
}): Promise<LoadResult> {
  const samples: Array<{ label: string; ms: number }> = [];
  const failures: string[] = [];
  type Ctx = { label?: string; path?: string };
  const opts: autocannon.Options = {
    url: options.url,
    connections: options.connections,
    pipelining: 1,
    duration: options.durationS,
    timeout: 30,
    requests: [
      {
        method: "GET",
        setupRequest: (req, context) => {
          const target = options.pick();
          const ctx = context as Ctx;
          ctx.label = target.label;
          ctx.path = target.path;
          const cookie = options.cookies[Math.floor(Math.random() * options.cookies.length)]!;
          return { ...req, path: target.path, headers: { ...req.headers, cookie } };
        },
        onResponse: (status, body, context) => {
          if ((status < 200 || status >= 300) && failures.length < 10) {
            failures.push(`${status} GET ${(context as Ctx).path}: ${String(body).slice(0, 300)}`);
          }
        },
      },
    ],
  };
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(opts, (error, result) => (error ? reject(error) : resolve(result)));
  });
  // At 'response' the client's context still describes the request that just completed (the next one is set up
  // right after), so each latency can be attributed to its label.
  instance!.on("response", (client: unknown, _status: number, _bytes: number, responseTime: number) => {
    const ctx = (client as unknown as { requestIterator?: { context?: Ctx } }).requestIterator?.context;
    samples.push({ label: ctx?.label ?? "?", ms: responseTime });
  });
  const result = await done;
  const durationS = result.duration || options.durationS;
  return summarise(options.name, samples, durationS, { non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts }, failures);
}

function summarise(
  name: string,
  samples: Array<{ label: string; ms: number }>,
  durationS: number,
  counts: { non2xx: number; errors: number; timeouts: number },
  failures: string[],
): LoadResult {
  const round = (x: number) => Math.round(x * 10) / 10;
  const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
  const byLabel = new Map<string, number[]>();
  for (const s of samples) {
    let list = byLabel.get(s.label);
    if (!list) byLabel.set(s.label, (list = []));
    list.push(s.ms);
  }
  return {
    name,
    requests: latencies.length,
    ...counts,
    durationS: round(durationS),
    rps: round(latencies.length / durationS),
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1) ?? NaN),
    byLabel: [...byLabel.entries()]
      .map(([label, list]) => {
        list.sort((a, b) => a - b);
        return { label, n: list.length, p50: round(percentile(list, 50)), p95: round(percentile(list, 95)), p99: round(percentile(list, 99)) };
      })
      .sort((a, b) => b.p95 - a.p95),
    failures,
  };
}

/**
 * Latency at a set load (an open model): requests arrive at `rate` per second on average, at random (exponential)
 * intervals as independent users' do, whether or not earlier ones were answered, over keep-alive connections
 * opened as needed. Each latency is measured from when the request was due, so a server that falls behind is
 * charged for the wait (no coordinated omission).
 */
export async function runPaced(options: {
  name: string;
  url: string;
  pick: () => Target;
  cookies: string[];
  rate: number;
  durationS: number;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const base = new URL(options.url);
  const samples: Array<{ label: string; ms: number }> = [];
  const failures: string[] = [];
  const counts = { non2xx: 0, errors: 0, timeouts: 0 };
  const inFlight = new Set<Promise<void>>();
  const send = (due: number) => {
    const target = options.pick();
    const cookie = options.cookies[Math.floor(Math.random() * options.cookies.length)]!;
    const done = new Promise<void>((resolve) => attempt(target, cookie, due, resolve));
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const attempt = (target: Target, cookie: string, due: number, resolve: () => void, retried = false) => {
    let settled = false;
    // Every request ends exactly once: answered, failed or timed out. Failures and timeouts are latencies too (the
    // time until they gave up), so the slowest requests never drop out of the percentiles.
    const settle = (outcome: { status?: number; body?: string; error?: string; timeout?: boolean }) => {
      if (settled) return;
      settled = true;
      samples.push({ label: target.label, ms: performance.now() - due });
      const failure = outcome.timeout
        ? "timeouts"
        : outcome.error !== undefined
          ? "errors"
          : outcome.status! < 200 || outcome.status! >= 300
            ? "non2xx"
            : undefined;
      if (failure) counts[failure]++;
      if (failure && failures.length < 10) {
        failures.push(`${outcome.status ?? ""} GET ${target.path}: ${outcome.timeout ? "timed out" : (outcome.error ?? outcome.body?.slice(0, 300))}`);
      }
      resolve();
    };
    const to = target.origin ? new URL(target.origin) : base;
    const req = http.get({ agent, host: to.hostname, port: to.port, path: target.path, headers: { cookie }, timeout: 30_000 }, (res) => {
      // Only a failure's body is ever shown (the first 10 of them); a success's is read and dropped.
      const keep = (res.statusCode! < 200 || res.statusCode! >= 300) && failures.length < 10;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => keep && chunks.push(c));
      res.on("end", () => settle({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on("error", (e) => settle({ error: e.message }));
      res.on("close", () => settle({ error: "the connection closed before the response ended" }));
    });
    req.on("timeout", () => {
      settle({ timeout: true });
      req.destroy();
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed while idle (its keep-alive timeout) fails on reuse: send again on
      // another, as browsers do.
      if (!settled && req.reusedSocket && e.code === "ECONNRESET" && !retried) {
        settled = true;
        return attempt(target, cookie, due, resolve, true);
      }
      settle({ error: e.message });
    });
  };

  const start = performance.now();
  const end = start + options.durationS * 1000;
  let due = start;
  while (true) {
    due += (-Math.log(1 - Math.random()) / options.rate) * 1000;
    if (due >= end) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    send(due);
  }
  await Promise.all(inFlight);
  agent.destroy();
  return summarise(options.name, samples, options.durationS, counts, failures);
}

/** A picker over weighted groups of targets: each group is chosen by its weight, then a target in it uniformly. */
export function picker(groups: Array<{ weight: number; targets: Target[] }>, random: () => number = Math.random): () => Target {
  const live = groups.filter((g) => g.targets.length && g.weight > 0);
  const total = live.reduce((sum, g) => sum + g.weight, 0);
  return () => {
    let x = random() * total;
    for (const g of live) {
      if ((x -= g.weight) <= 0) return g.targets[Math.floor(random() * g.targets.length)]!;
    }
    const last = live.at(-1)!;
    return last.targets[Math.floor(random() * last.targets.length)]!;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CPU accounting: what the requests cost, independent of how busy the rest of the machine is

const msPerTick = 1000 / 100; // USER_HZ is 100 on Linux

type ProcInfo = { pid: number; pgrp: number; cpuTicks: number; cmdline: string };

function readProcs(): ProcInfo[] {
  const procs: ProcInfo[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return procs;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      procs.push({ pid: Number(entry), pgrp: Number(fields[2]), cpuTicks: Number(fields[11]) + Number(fields[12]), cmdline });
    } catch {
      // exited meanwhile
    }
  }
  return procs;
}

/**
 * Samples /proc every 200 ms while a load runs: CPU used by the server's process group and by the Postgres backends
 * (and their parallel workers) serving the benchmark database. Backends that exit between samples lose their last
 * < 200 ms, so the Postgres figure is a slight underestimate.
 */
export function startCpuMeter(serverPgrp: number, databaseName: string): () => { serverMs: number; postgresMs: number } {
  const base = new Map<number, number>();
  const last = new Map<number, { ticks: number; kind: "server" | "pg" }>();
  type Ours = { p: ProcInfo; kind: "server" | "pg" };
  const ours = (procs: ProcInfo[]): Ours[] => {
    const backends = new Set(procs.filter((p) => p.cmdline.startsWith("postgres:") && p.cmdline.includes(` ${databaseName} `)).map((p) => p.pid));
    return procs.flatMap((p): Ours[] => {
      if (p.pgrp === serverPgrp) return [{ p, kind: "server" }];
      if (backends.has(p.pid)) return [{ p, kind: "pg" }];
      const leader = /parallel worker for PID (\d+)/.exec(p.cmdline);
      if (leader && backends.has(Number(leader[1]))) return [{ p, kind: "pg" }];
      return [];
    });
  };
  for (const { p, kind } of ours(readProcs())) {
    base.set(p.pid, p.cpuTicks);
    last.set(p.pid, { ticks: p.cpuTicks, kind });
  }
  const sample = () => {
    for (const { p, kind } of ours(readProcs())) last.set(p.pid, { ticks: p.cpuTicks, kind });
  };
  const timer = setInterval(sample, 200);
  return () => {
    clearInterval(timer);
    sample();
    let server = 0;
    let postgres = 0;
    for (const [pid, { ticks, kind }] of last) {
      const used = ticks - (base.get(pid) ?? 0);
      if (kind === "server") server += used;
      else postgres += used;
    }
    return { serverMs: server * msPerTick, postgresMs: postgres * msPerTick };
  };
}
