import { ApiError, ConnectionError, type ApiClient } from "./http";
import { isFinal } from "./outcome";
import { liveRolloutSchema, rolloutSchema, type LiveRollout } from "./rollout-view";

export type FollowOptions = {
  /** 0: no limit. */
  timeoutMs: number;
  onUpdate: (live: LiveRollout) => void;
  /** The server sends a comment every 15 s; a stream silent for longer than this went away unnoticed (a proxy). */
  idleMs?: number;
  /** How long the server may stay unreachable before following it is an error. */
  unreachableMs?: number;
  /** Polling, when the stream is not there: the first interval, doubled up to the cap while nothing changes. */
  pollMs?: { first: number; max: number };
};

export type Followed = { live: LiveRollout; timedOut: boolean };

type SseEvent = { event: string; data: string };

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Server-sent events from a response body, as the EventSource spec frames them (comments and retry: skipped). */
async function* readEvents(body: ReadableStream<Uint8Array>, onBytes: () => void): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    onBytes();
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, "\n");
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = value;
        else if (field === "data") data.push(value);
      }
      if (data.length) yield { event, data: data.join("\n") };
    }
  }
}

/** Errors worth trying again after a pause: the server restarting, overloaded, or rate limiting us. */
function retryable(error: unknown): { afterMs?: number } | undefined {
  if (error instanceof ConnectionError) return {};
  if (error instanceof ApiError && (error.status === 429 || error.status >= 500))
    return error.retryAfterMs !== undefined ? { afterMs: error.retryAfterMs } : {};
  if (error instanceof TypeError || (error instanceof Error && error.name === "AbortError")) return {}; // the stream broke mid-read
  return undefined;
}

/**
 * Follows a rollout until it ends or `timeoutMs` passes: through the API's server-sent event stream, reconnecting
 * with backoff when it drops, or by polling GET /rollouts/{id} with backoff when the stream is not available.
 */
export async function followRollout(client: ApiClient, id: string, options: FollowOptions): Promise<Followed> {
  const idleMs = options.idleMs ?? 45_000;
  const unreachableMs = options.unreachableMs ?? 120_000;
  const poll = options.pollMs ?? { first: 2_000, max: 15_000 };
  const overall = new AbortController();
  const deadline = options.timeoutMs > 0 ? setTimeout(() => overall.abort(), options.timeoutMs) : undefined;
  let last: LiveRollout | undefined;
  let lastText = "";
  let useStream = true;
  let backoff = 1_000;
  let failingSince: number | undefined;

  const seen = (live: LiveRollout) => {
    failingSince = undefined;
    const text = JSON.stringify(live);
    if (text === lastText) return false;
    last = live;
    lastText = text;
    options.onUpdate(live);
    return true;
  };

  const timedOut = async (): Promise<Followed> => {
    // One last look, so the answer says where it stood when we stopped waiting.
    if (!last) seen({ rollout: (await client.request("GET", `/api/v1/rollouts/${id}`, rolloutSchema)).body, observations: [] });
    return { live: last!, timedOut: true };
  };

  try {
    for (;;) {
      if (overall.signal.aborted) return await timedOut();
      try {
        if (useStream) {
          const attempt = new AbortController();
          const signal = AbortSignal.any([overall.signal, attempt.signal]);
          let idle: NodeJS.Timeout | undefined;
          const alive = () => {
            clearTimeout(idle);
            idle = setTimeout(() => attempt.abort(), idleMs);
          };
          try {
            const response = await client.send("GET", `/api/v1/rollouts/${encodeURIComponent(id)}/stream`, {
              accept: "text/event-stream",
              signal,
              timeoutMs: 0,
            });
            if (!(response.headers.get("content-type") ?? "").includes("text/event-stream") || !response.body) {
              await response.body?.cancel();
              useStream = false;
              continue;
            }
            alive();
            for await (const event of readEvents(response.body, alive)) {
              if (event.event !== "rollout") continue;
              const live = liveRolloutSchema.parse(JSON.parse(event.data));
              seen(live);
              backoff = 1_000;
              if (isFinal(live.rollout.state)) {
                await response.body.cancel().catch(() => undefined);
                return { live, timedOut: false };
              }
            }
          } finally {
            clearTimeout(idle);
            attempt.abort();
          }
          // The server ended the stream (a restart, a re-check of the token): connect again.
          await sleep(backoff, overall.signal);
          backoff = Math.min(backoff * 2, 30_000);
        } else {
          const { body } = await client.request("GET", `/api/v1/rollouts/${encodeURIComponent(id)}`, rolloutSchema, { signal: overall.signal });
          const changed = seen({ rollout: body, observations: [] });
          if (isFinal(body.state)) return { live: last!, timedOut: false };
          backoff = changed ? poll.first : Math.min(backoff * 2, poll.max);
          await sleep(backoff, overall.signal);
        }
      } catch (error) {
        if (overall.signal.aborted) return await timedOut();
        const again = retryable(error);
        if (!again) throw error;
        failingSince ??= Date.now();
        if (Date.now() - failingSince > unreachableMs) throw error;
        await sleep(again.afterMs ?? backoff, overall.signal);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  } finally {
    clearTimeout(deadline);
  }
}
