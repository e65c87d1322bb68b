import "server-only";
import type { LogLine, LogsProblem } from "./contract";
import { toLogsProblem } from "./logs-errors";
import type { Clock } from "./types";
import { outsideRequest } from "../shared/request-context";

/**
 * Live tail: one server-side poll per distinct query, however many people tail it. Each poll asks for
 * `@timestamp >= last - overlap` (no point in time: a PIT would freeze the view) and drops the `_id`s already
 * pushed. The overlap exists because fluentd flushes each node's buffer on its own schedule and the store refreshes
 * every second, so a line can become searchable after a newer one from another pod.
 */

export type TimedLine = { line: LogLine; at: number };

export type TailPoll = (sinceMs: number, signal: AbortSignal) => Promise<{ lines: TimedLine[]; truncated: boolean }>;

export type TailBatch = {
  /** Oldest first. */
  lines: LogLine[];
  /** Where the tail is: send it back as `since` to resume after a pause. Epoch ms. */
  position: number;
  /** More lines arrived in one interval than a poll carries: the oldest of them were skipped. */
  truncated: boolean;
};

export type TailSubscriber = {
  onLines(batch: TailBatch): void;
  onError(problem: LogsProblem): void;
};

export type TailHubOptions = {
  clock?: Clock;
  intervalMs?: number;
  overlapMs?: number;
  /** Longest wait between polls after failures. */
  maxBackoffMs?: number;
};

type Topic = {
  key: string;
  source: string;
  poll: TailPoll;
  subscribers: Set<TailSubscriber>;
  seen: Map<string, number>;
  last: number;
  timer: ReturnType<typeof setTimeout> | null;
  inFlight: AbortController | null;
  failures: number;
  polls: number;
};

export class TailHub {
  private readonly topics = new Map<string, Topic>();
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly overlapMs: number;
  private readonly maxBackoffMs: number;
  private pollCount = 0;

  constructor(options: TailHubOptions = {}) {
    this.clock = options.clock ?? Date;
    // With the store's 1 s refresh, 750 ms keeps write-to-push under 2 s while still one poll per interval.
    this.intervalMs = options.intervalMs ?? 750;
    this.overlapMs = options.overlapMs ?? 5000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  /** Joins (or starts) the shared poll for `key`; returns the unsubscribe. The last one out stops the poll. */
  subscribe(key: string, source: string, poll: TailPoll, subscriber: TailSubscriber): () => void {
    let topic = this.topics.get(key);
    if (!topic) {
      topic = { key, source, poll, subscribers: new Set(), seen: new Map(), last: this.clock.now(), timer: null, inFlight: null, failures: 0, polls: 0 };
      this.topics.set(key, topic);
      // One poll for every subscriber: its log lines belong to no one request.
      const started = topic;
      outsideRequest(() => this.schedule(started, 0));
    }
    topic.subscribers.add(subscriber);
    const joined = topic;
    return () => {
      joined.subscribers.delete(subscriber);
      if (joined.subscribers.size === 0 && this.topics.get(key) === joined) this.stopTopic(joined);
    };
  }

  /** Topics polling now and polls made since start: what the one-poll-per-query promise is checked against. */
  stats(): { topics: number; subscribers: number; polls: number } {
    let subscribers = 0;
    for (const t of this.topics.values()) subscribers += t.subscribers.size;
    return { topics: this.topics.size, subscribers, polls: this.pollCount };
  }

  stop(): void {
    for (const topic of [...this.topics.values()]) this.stopTopic(topic);
  }

  private stopTopic(topic: Topic): void {
    if (topic.timer) clearTimeout(topic.timer);
    topic.timer = null;
    topic.inFlight?.abort();
    this.topics.delete(topic.key);
  }

  private schedule(topic: Topic, delay: number): void {
    topic.timer = setTimeout(() => void this.run(topic), delay);
    topic.timer.unref?.();
  }

  private async run(topic: Topic): Promise<void> {
    topic.timer = null;
    if (this.topics.get(topic.key) !== topic) return;
    const controller = new AbortController();
    topic.inFlight = controller;
    const since = topic.last - this.overlapMs;
    topic.polls++;
    this.pollCount++;
    try {
      const { lines, truncated } = await topic.poll(since, controller.signal);
      if (this.topics.get(topic.key) !== topic) return;
      topic.failures = 0;
      const fresh = lines.filter((l) => !topic.seen.has(l.line.id));
      for (const l of fresh) {
        topic.seen.set(l.line.id, l.at);
        if (l.at > topic.last) topic.last = l.at;
      }
      // Ids older than the next poll's window can never come back.
      const floor = topic.last - this.overlapMs;
      for (const [id, at] of topic.seen) if (at < floor) topic.seen.delete(id);
      if (fresh.length > 0 || truncated) {
        const batch: TailBatch = { lines: fresh.map((l) => l.line), position: topic.last, truncated };
        for (const s of [...topic.subscribers]) s.onLines(batch);
      }
      this.schedule(topic, this.intervalMs);
    } catch (error) {
      if (this.topics.get(topic.key) !== topic) return;
      topic.failures++;
      const problem = toLogsProblem(error, topic.source);
      for (const s of [...topic.subscribers]) s.onError(problem);
      this.schedule(topic, Math.min(this.maxBackoffMs, this.intervalMs * 2 ** topic.failures));
    } finally {
      if (topic.inFlight === controller) topic.inFlight = null;
    }
  }
}
