import "server-only";
import type { FluentdRecord } from "./fluentd-feeder";

/**
 * Plausible, deterministic service logs for the demo: request lines with latency and status, debug and warning
 * chatter, errors, and now and then an exception with its stack trace (one record per line in text logs, as a
 * container runtime splits them; one record with a `stack` field in JSON logs). Same seed, same lines.
 */

export interface LoggingPod {
  namespace: string;
  pod: string;
  container?: string;
  image: string;
  labels?: Record<string, string>;
  /** "json" (structured logger) or "text"; default derived from the image name so a service stays consistent. */
  style?: "json" | "text";
}

export interface GenerateOptions {
  pods: LoggingPod[];
  /** First line's time. */
  from: Date | number;
  /** How many log events (an exception counts once, whatever its stack length). */
  count: number;
  /** Mean events per second across all pods (default 2). */
  ratePerSecond?: number;
  seed?: number;
  /** Share of events that are errors or exceptions (default 0.06). */
  errorRate?: number;
}

/** mulberry32: small, fast, and the same everywhere. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

const METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"] as const;
const RESOURCES = ["orders", "customers", "payments", "carts", "invoices", "sessions"] as const;
const USERS = ["alice", "bob", "carol", "dave", "erin"] as const;
const DEBUG = [
  "cache hit for key %k",
  "cache miss for key %k, loading from database",
  "opened connection to postgres (pool size 10, in use 3)",
  "feature flag checkout-v2 evaluated to false for user %u",
  "scheduled job reconcile-%r finished in %dms",
];
const WARN = [
  "slow query on %r took %dms (threshold 500ms)",
  "retrying request to %r-service (attempt 2/3): connection reset by peer",
  'user "%u" sent a deprecated header X-Api-Version=1',
  "rate limit at 80% for client %k",
];
const ERRORS = [
  "failed to publish event %r.updated: broker unavailable",
  "payment declined for order %k: card_expired",
  "request to %r-service timed out after 3000ms",
  "could not acquire lock %r:%k within 5s",
];
const EXCEPTIONS = [
  { type: "java.lang.IllegalStateException", message: "connection pool exhausted (max 10)" },
  { type: "java.net.SocketTimeoutException", message: "Read timed out" },
  { type: "com.fasterxml.jackson.core.JsonParseException", message: "Unexpected character ('}' (code 125)): was expecting double-quote to start field name" },
];

function styleOf(pod: LoggingPod): "json" | "text" {
  if (pod.style) return pod.style;
  let h = 0;
  for (const c of pod.image.replace(/:[^:/]+$/, "")) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % 2 === 0 ? "json" : "text";
}

function fill(template: string, rand: () => number): string {
  return template
    .replace(/%k/g, () => Math.floor(rand() * 1e6).toString(36))
    .replace(/%u/g, () => pick(rand, USERS))
    .replace(/%r/g, () => pick(rand, RESOURCES))
    .replace(/%d/g, () => String(500 + Math.floor(rand() * 4000)));
}

function serviceOf(pod: LoggingPod): string {
  return pod.labels?.["app.kubernetes.io/name"] ?? pod.labels?.app ?? pod.pod.replace(/-[a-z0-9]+-[a-z0-9]+$/, "");
}

export function generateServiceLogs(options: GenerateOptions): FluentdRecord[] {
  if (options.pods.length === 0 || options.count <= 0) return [];
  const rand = random(options.seed ?? 1);
  const meanGap = 1000 / (options.ratePerSecond ?? 2);
  const errorRate = options.errorRate ?? 0.06;
  let time = typeof options.from === "number" ? options.from : options.from.getTime();
  const records: FluentdRecord[] = [];
  for (let n = 0; n < options.count; n++) {
    time += Math.max(1, Math.round(-Math.log(1 - rand()) * meanGap));
    const pod = pick(rand, options.pods);
    const style = styleOf(pod);
    const base = {
      namespace: pod.namespace,
      pod: pod.pod,
      container: pod.container ?? "app",
      image: pod.image,
      ...(pod.labels ? { labels: pod.labels } : {}),
    };
    const nanos = Math.floor(rand() * 1_000_000);
    const at = new Date(time).toISOString();
    const push = (line: string, stream: "stdout" | "stderr", offset = 0) =>
      records.push({ ...base, time, nanos: Math.min(999_999, nanos + offset), stream, line });
    const roll = rand();
    const service = serviceOf(pod);
    if (roll < errorRate * 0.35) {
      const ex = pick(rand, EXCEPTIONS);
      const frames = [
        `com.example.${service.replace(/[^a-z0-9]/gi, "")}.${pick(rand, RESOURCES)}.Repository.load(Repository.java:${40 + Math.floor(rand() * 200)})`,
        `com.example.${service.replace(/[^a-z0-9]/gi, "")}.Handler.handle(Handler.java:${20 + Math.floor(rand() * 100)})`,
        "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)",
        "java.base/java.lang.Thread.run(Thread.java:1583)",
      ];
      if (style === "json") {
        push(
          JSON.stringify({
            level: "error",
            ts: at,
            logger: `${service}.handler`,
            msg: "unhandled exception",
            error: `${ex.type}: ${ex.message}`,
            stack: [`${ex.type}: ${ex.message}`, ...frames.map((f) => `\tat ${f}`)].join("\n"),
          }),
          "stderr",
        );
      } else {
        push(`${at} ERROR [${service}] unhandled exception while processing request`, "stderr");
        push(`${ex.type}: ${ex.message}`, "stderr", 1);
        frames.forEach((f, i) => push(`\tat ${f}`, "stderr", 2 + i));
      }
    } else if (roll < errorRate) {
      const msg = fill(pick(rand, ERRORS), rand);
      push(style === "json" ? JSON.stringify({ level: "error", ts: at, logger: service, msg }) : `${at} ERROR [${service}] ${msg}`, "stderr");
    } else if (roll < errorRate + 0.1) {
      const msg = fill(pick(rand, WARN), rand);
      push(style === "json" ? JSON.stringify({ level: "warn", ts: at, logger: service, msg }) : `${at} WARN  [${service}] ${msg}`, "stdout");
    } else if (roll < errorRate + 0.22) {
      const msg = fill(pick(rand, DEBUG), rand);
      push(style === "json" ? JSON.stringify({ level: "debug", ts: at, logger: service, msg }) : `${at} DEBUG [${service}] ${msg}`, "stdout");
    } else {
      const method = pick(rand, METHODS);
      const path = `/api/${pick(rand, RESOURCES)}/${Math.floor(rand() * 10_000)}`;
      const r = rand();
      const status = r < 0.9 ? (method === "POST" ? 201 : 200) : r < 0.95 ? 404 : r < 0.98 ? 400 : 503;
      const latency = Math.round(5 + -Math.log(1 - rand()) * (status === 503 ? 2000 : 40));
      const requestId = Math.floor(rand() * 2 ** 48)
        .toString(16)
        .padStart(12, "0");
      const level = status >= 500 ? "error" : status >= 400 ? "warn" : "info";
      if (style === "json") {
        push(
          JSON.stringify({ level, ts: at, logger: "http", msg: "request completed", method, path, status, duration_ms: latency, request_id: requestId }),
          status >= 500 ? "stderr" : "stdout",
        );
      } else {
        push(
          `${at} ${level.toUpperCase().padEnd(5)} [${service}] ${method} ${path} ${status} ${latency}ms request_id=${requestId}`,
          status >= 500 ? "stderr" : "stdout",
        );
      }
    }
  }
  return records;
}
