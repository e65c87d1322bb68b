import "server-only";
import { fnv32a } from "./hash";
import type { ImageBehaviour } from "./types";

/**
 * What a simulated container writes to stdout, derived from its run (container id, start, end) and the simulated
 * time, so nothing is stored and every read of the same run gives the same lines: startup lines, then an app line
 * every few seconds (JSON or plain text, by image, with levels), and for a crash-looping container the error it dies
 * of, with its stack trace, just before it exits.
 */

export interface ContainerRun {
  containerId: string;
  name: string;
  image: string;
  behaviour: ImageBehaviour;
  startedAt: number;
  /** When the run ended; undefined while it runs. */
  finishedAt?: number | undefined;
  /** It ended by crashing (it writes the fatal error first). */
  crashed: boolean;
}

export interface LogLine {
  at: number;
  text: string;
}

/** Mean time between app lines. */
const LINE_PERIOD_MS = 3000;
/** A container log is rotated: older lines are gone (the kubelet keeps ~10 MiB). */
const MAX_APP_LINES = 2000;

const ROUTES = ["/api/orders", "/api/orders/{id}", "/api/items", "/api/cart", "/healthz", "/metrics"];
const METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];

type Level = "debug" | "info" | "warn" | "error";

function json(run: ContainerRun): boolean {
  const repo = run.image.split("@")[0]?.replace(/:[^/:]+$/, "") ?? run.image;
  return fnv32a(repo) % 2 === 0;
}

function render(run: ContainerRun, at: number, level: Level, msg: string, fields: Record<string, string | number> = {}): LogLine {
  const ts = new Date(at).toISOString();
  if (json(run)) return { at, text: JSON.stringify({ level, ts, msg, ...fields }) };
  const kv = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === "string" && /\s/.test(v) ? JSON.stringify(v) : v}`);
  return { at, text: [ts, level.toUpperCase().padEnd(5), msg, ...kv].join(" ").trimEnd() };
}

function appLine(run: ContainerRun, i: number, at: number): LogLine {
  const h = fnv32a(`${run.containerId}/${i}`);
  const roll = h % 100;
  const route = ROUTES[(h >>> 8) % ROUTES.length]!.replace("{id}", String(((h >>> 12) % 9000) + 1000));
  const method = route === "/healthz" || route === "/metrics" ? "GET" : METHODS[(h >>> 4) % METHODS.length]!;
  const duration = ((h >>> 16) % 120) + 2;
  if (roll < 15) return render(run, at, "debug", "cache lookup", { key: `item:${(h >>> 10) % 500}`, hit: (h & 1) === 1 ? "true" : "false" });
  if (roll < 92) return render(run, at, "info", "request completed", { method, path: route, status: method === "POST" ? 201 : 200, duration_ms: duration });
  if (roll < 98) return render(run, at, "warn", "slow database query", { query: "SELECT orders", duration_ms: 500 + ((h >>> 20) % 1500) });
  return render(run, at, "error", "upstream call failed", { upstream: "payments", status: 503, attempt: ((h >>> 6) % 3) + 1 });
}

function startupLines(run: ContainerRun): LogLine[] {
  const lines = [render(run, run.startedAt, "info", `starting ${run.name}`, { image: run.image })];
  // A crash-looping container never listens: it keeps failing to reach its database (see connectAttempts).
  if (run.behaviour === "crashloop") return lines;
  lines.push(render(run, run.startedAt + 150, "info", "listening on :8080"));
  if (run.behaviour === "never-ready")
    lines.push(render(run, run.startedAt + 400, "warn", "dependency check failed: upstream unavailable, reporting not ready"));
  return lines;
}

/** The error a crash-looping container keeps meeting, and dies of. */
const CONNECT_ERROR = "Error: connect ECONNREFUSED 10.96.12.7:5432";
/** How often a crash-looping container retries its database before it gives up. */
const CONNECT_RETRY_MS = 250;

/**
 * A crash-looping container's run: it retries its database every quarter second, logging each failure as an error
 * with the cause, until it gives up (crashLines). This is what makes its error lines spike on the Metrics tab, and
 * every one of them names the exception.
 */
function connectAttempts(run: ContainerRun, end: number): LogLine[] {
  const out: LogLine[] = [];
  const last = run.crashed && run.finishedAt !== undefined ? run.finishedAt - 10 : end;
  for (let attempt = 1; attempt <= MAX_APP_LINES; attempt++) {
    const at = run.startedAt + 100 + attempt * CONNECT_RETRY_MS;
    if (at > Math.min(last, end)) break;
    const ts = new Date(at).toISOString();
    out.push(
      json(run)
        ? { at, text: JSON.stringify({ level: "error", ts, msg: "database connection failed, retrying", err: CONNECT_ERROR, attempt }) }
        : { at, text: `${ts} ERROR database connection failed (attempt ${attempt}), retrying in ${CONNECT_RETRY_MS}ms: ${CONNECT_ERROR}` },
    );
  }
  return out;
}

/** The error a crash-looping container dies of: a message and a Node.js stack trace, one stdout line each. */
function crashLines(run: ContainerRun, at: number): LogLine[] {
  const stack = [
    CONNECT_ERROR,
    "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)",
    "    at Pool.connect (/app/node_modules/pg-pool/index.js:45:11)",
    "    at Database.migrate (/app/dist/db.js:88:23)",
    "    at async main (/app/dist/server.js:31:5)",
  ];
  if (json(run)) {
    return [
      {
        at: at - 2,
        text: JSON.stringify({
          level: "fatal",
          ts: new Date(at - 2).toISOString(),
          msg: "failed to connect to database",
          err: { message: stack[0], stack: stack.join("\n") },
        }),
      },
      { at: at - 1, text: JSON.stringify({ level: "info", ts: new Date(at - 1).toISOString(), msg: "exiting", code: 1 }) },
    ];
  }
  return [
    { at: at - 2, text: `${new Date(at - 2).toISOString()} FATAL failed to connect to database, exiting: ${CONNECT_ERROR}` },
    ...stack.map((text) => ({ at: at - 2, text })),
    { at: at - 1, text: `${new Date(at - 1).toISOString()} INFO  exiting with status 1` },
  ];
}

/** Lines the run has written up to `until` (simulated ms), oldest first, at most the rotated log's worth. */
export function linesOf(run: ContainerRun, until: number): LogLine[] {
  const end = Math.min(until, run.finishedAt ?? Infinity);
  if (end < run.startedAt) return [];
  const out = startupLines(run).filter((l) => l.at <= end);
  if (run.behaviour === "crashloop") {
    out.push(...connectAttempts(run, end));
    if (run.crashed && run.finishedAt !== undefined && run.finishedAt <= until) out.push(...crashLines(run, run.finishedAt));
    return out;
  }
  const first = run.startedAt + 1000;
  // During a crash loop the run ends with its fatal error, so the app lines stop a moment before.
  const appEnd = run.crashed && run.finishedAt !== undefined ? run.finishedAt - 10 : end;
  const count = appEnd >= first ? Math.floor((appEnd - first) / LINE_PERIOD_MS) + 1 : 0;
  const from = Math.max(0, count - MAX_APP_LINES);
  for (let i = from; i < count; i++) {
    // Jitter inside the period keeps lines in order.
    const at = first + i * LINE_PERIOD_MS + (fnv32a(`${run.containerId}#${i}`) % (LINE_PERIOD_MS - 10));
    if (at <= appEnd) out.push(appLine(run, i, at));
  }
  if (run.crashed && run.finishedAt !== undefined && run.finishedAt <= until) out.push(...crashLines(run, run.finishedAt));
  return out;
}

/** RFC 3339 with nanoseconds, as the kubelet prefixes lines with `timestamps=true`. */
export function formatLogTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
}
