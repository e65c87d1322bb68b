import "server-only";

export type ClockMode = "real" | "manual";

/** The clock as tests and the demo see it. Every timestamp the simulator serves comes from `now()`. */
export interface SimClockControl {
  readonly mode: ClockMode;
  /** Simulated time in epoch milliseconds. */
  now(): number;
  /**
   * Runs the controllers for `ms` of simulated time (stopping at every moment something is due) and resolves once
   * the resulting watch events have been written to their connections.
   */
  advance(ms: number): Promise<void>;
}

export interface ClockHooks {
  /**
   * Runs every controller at the current simulated time until nothing changes. Synchronous. `due` says whether
   * something asked (wakeAt) to run at or before `now` since the last call.
   */
  reconcile(now: number, due: boolean): void;
  /** Resolves when every watch connection has been handed its pending events. */
  flush(): Promise<void>;
}

// Never jump further than this in one step, so behaviour that forgot to ask for a wake-up still happens on time.
const MAX_STEP_MS = 5000;
// Real-time mode: how often the controllers run, in wall-clock milliseconds.
const REAL_TICK_MS = 200;

export class SimClock implements SimClockControl {
  private current: number;
  private readonly wakeups = new Set<number>();
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private hooks: ClockHooks | undefined;
  private stopped = false;
  /** A wake-up asked for a moment already reached: the next reconcile is due. */
  private overdue = false;

  constructor(
    readonly mode: ClockMode,
    start: number,
    private readonly speed: number,
  ) {
    this.current = start;
  }

  attach(hooks: ClockHooks): void {
    this.hooks = hooks;
  }

  now(): number {
    return this.current;
  }

  /** Asks for the controllers to run at simulated time `at` (e.g. when a pod should become ready). */
  wakeAt(at: number): void {
    if (at > this.current) this.wakeups.add(Math.ceil(at));
    else this.overdue = true;
  }

  advance(ms: number): Promise<void> {
    const run = this.queue.then(() => this.step(Math.max(0, ms)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  startRealTime(): void {
    let lastWall = Date.now();
    this.timer = setInterval(() => {
      const wall = Date.now();
      const delta = (wall - lastWall) * this.speed;
      lastWall = wall;
      void this.advance(delta);
    }, REAL_TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  private async step(ms: number): Promise<void> {
    const hooks = this.hooks;
    if (!hooks || this.stopped) return;
    const target = this.current + ms;
    hooks.reconcile(this.current, this.takeOverdue());
    let steps = 0;
    while (this.current < target) {
      const due = this.nextWakeup();
      const next = Math.min(target, due ?? Infinity, this.current + MAX_STEP_MS);
      this.current = next;
      for (const w of [...this.wakeups]) {
        if (w <= next) {
          this.wakeups.delete(w);
          this.overdue = true;
        }
      }
      hooks.reconcile(this.current, this.takeOverdue());
      // Let HTTP requests and socket writes through during long jumps.
      if (++steps % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (this.stopped) return;
    }
    await hooks.flush();
  }

  private takeOverdue(): boolean {
    const was = this.overdue;
    this.overdue = false;
    return was;
  }

  private nextWakeup(): number | undefined {
    let min: number | undefined;
    for (const w of this.wakeups) if (min === undefined || w < min) min = w;
    return min;
  }
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
const formatted = new Map<number, string>();
export function formatTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  let text = formatted.get(second);
  if (text === undefined) {
    if (formatted.size > 4096) formatted.clear();
    text = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    formatted.set(second, text);
  }
  return text;
}

export function parseTime(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** Durations as Argo Rollouts accepts them: a number of seconds, "30s", "10m", "1h30m". */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    const n = Number(m[1]);
    const unit = m[2];
    total += unit === "ms" ? n / 1000 : unit === "s" ? n : unit === "m" ? n * 60 : n * 3600;
  }
  return total;
}
