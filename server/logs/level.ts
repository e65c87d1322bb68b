import "server-only";
import type { FilterableLevel, LogLevel } from "./contract";

/**
 * Level detection, in this order: a structured logger's field (`level`, `severity`, `lvl`, `log.level`; names or
 * pino/bunyan numbers), then the level word near the start of a text line (`2026-... ERROR [svc] ...`, `level=warn`,
 * `[WARN]`). Anything else is `unknown`: a stack trace's `at ...` frames have no level of their own.
 */

const NAMES: Record<string, LogLevel> = {
  trace: "trace",
  finest: "trace",
  debug: "debug",
  fine: "debug",
  dbg: "debug",
  info: "info",
  information: "info",
  informational: "info",
  notice: "info",
  inf: "info",
  warn: "warn",
  warning: "warn",
  wrn: "warn",
  error: "error",
  err: "error",
  eror: "error",
  severe: "error",
  fatal: "fatal",
  critical: "fatal",
  crit: "fatal",
  panic: "fatal",
  emerg: "fatal",
  emergency: "fatal",
  alert: "fatal",
  dpanic: "fatal",
};

/** The spellings of each level a structured field may carry, for the exact-match part of a level filter. */
export const LEVEL_SPELLINGS: Record<FilterableLevel, string[]> = (() => {
  const out: Record<FilterableLevel, string[]> = { trace: [], debug: [], info: [], warn: [], error: [], fatal: [] };
  for (const [name, level] of Object.entries(NAMES)) {
    if (level === "unknown") continue;
    out[level].push(name, name.toUpperCase(), name[0]!.toUpperCase() + name.slice(1));
  }
  return out;
})();

/** pino and bunyan write numbers: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
function fromNumber(n: number): LogLevel {
  if (n >= 60) return "fatal";
  if (n >= 50) return "error";
  if (n >= 40) return "warn";
  if (n >= 30) return "info";
  if (n >= 20) return "debug";
  if (n >= 10) return "trace";
  return "unknown";
}

export function levelFromValue(value: unknown): LogLevel | null {
  if (typeof value === "number" && Number.isFinite(value)) return fromNumber(value);
  if (typeof value !== "string") return null;
  const word = value.trim().toLowerCase();
  if (/^\d+$/.test(word)) return fromNumber(Number(word));
  return NAMES[word] ?? null;
}

const LEVEL_WORDS = "TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|FATAL|CRITICAL|CRIT|PANIC|trace|debug|info|warn|warning|error|fatal|critical|panic";
const TEXT_LEVEL = new RegExp(`(?:^|[\\s[(|"'])(?:level[=:]\\s*"?)?(${LEVEL_WORDS})(?=$|[\\s\\]):|,"'])`);

/** The level word of a text line, looked for in its first 64 characters (after the timestamp, before the message). */
export function levelFromText(line: string): LogLevel | null {
  const head = line.slice(0, 64);
  const m = TEXT_LEVEL.exec(head);
  if (!m) {
    const klog = /^([IWEF])\d{4} \d\d:\d\d:\d\d/.exec(head);
    if (klog) return ({ I: "info", W: "warn", E: "error", F: "fatal" } as const)[klog[1] as "I" | "W" | "E" | "F"];
    return null;
  }
  const word = m[1]!;
  // Lower-case words count only as `level=x` or right after a timestamp: "failed with error" is not a level.
  if (word === word.toLowerCase() && !/level[=:]/i.test(m[0]) && !/^\S*\d\S*\s+$/.test(head.slice(0, m.index + m[0].indexOf(word)))) return null;
  return NAMES[word.toLowerCase()] ?? null;
}

/** The level of a document or pod line: structured fields first, then the text. */
export function detectLevel(fields: Record<string, unknown>, levelFields: readonly string[], message: string): LogLevel {
  for (const field of levelFields) {
    const level = levelFromValue(valueAt(fields, field));
    if (level) return level;
  }
  const trimmed = message.trimStart();
  if (trimmed.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed === "object" && parsed !== null) {
        for (const field of levelFields) {
          const level = levelFromValue(valueAt(parsed as Record<string, unknown>, field));
          if (level) return level;
        }
      }
    } catch {
      // Not JSON after all: fall through to the text patterns.
    }
  }
  return levelFromText(message) ?? "unknown";
}

/** A dotted path, whether the document nests it (`log: {level}`) or keeps the dot in a key (`log.level`). */
export function valueAt(document: Record<string, unknown>, path: string): unknown {
  if (path in document) return document[path];
  let current: unknown = document;
  for (const part of path.split(".")) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
