"use client";

import { useEffect, useRef, useState } from "react";
import type { z } from "zod";

export type StreamStatus = "idle" | "connecting" | "live" | "reconnecting" | "stopped";

/** One named event of a stream: its data is parsed with `schema`; a frame that does not match is skipped. */
export type StreamEvent = { schema: z.ZodType; on: (data: unknown) => void };

export function streamEvent<S extends z.ZodType>(schema: S, on: (data: z.infer<S>) => void): StreamEvent {
  return { schema, on: on as (data: unknown) => void };
}

type Options = {
  /** "open": live as soon as the connection opens; "event" (the default): only once an event has arrived. */
  liveOn?: "open" | "event";
  /**
   * What to do when the browser gives up on the stream (an answer that is not a stream: signed out, gone, a proxy's
   * error page). false (the default) stops and says so; true asks again, waiting twice as long each time up to 30 s.
   */
  retryRefused?: boolean;
};

const firstDelayMs = 1_000;
const maxDelayMs = 30_000;

/**
 * Server-sent events from `url` (null: not connected). A dropped connection is reconnected by EventSource itself,
 * after the `retry` the server sent; every event carries a whole state, so nothing needs replaying (no Last-Event-ID).
 * The handlers may change on every render: the latest ones are called.
 */
export function useEventStream(url: string | null, events: Record<string, StreamEvent>, options: Options = {}): StreamStatus {
  const { liveOn = "event", retryRefused = false } = options;
  const [status, setStatus] = useState<StreamStatus>(url ? "connecting" : "idle");
  const handlers = useRef(events);
  handlers.current = events;
  const names = Object.keys(events).join(",");

  useEffect(() => {
    if (!url) {
      setStatus("idle");
      return;
    }
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = firstDelayMs;
    const connect = () => {
      source = new EventSource(url);
      const current = source;
      current.onopen = () => {
        delay = firstDelayMs;
        if (liveOn === "open") setStatus("live");
      };
      for (const name of names.split(",").filter(Boolean)) {
        current.addEventListener(name, (event) => {
          const handler = handlers.current[name];
          if (!handler) return;
          let data: unknown;
          try {
            data = JSON.parse((event as MessageEvent<string>).data);
          } catch {
            return; // A malformed frame is skipped; the next one carries the whole state again.
          }
          const parsed = handler.schema.safeParse(data);
          if (!parsed.success) return;
          handler.on(parsed.data);
          setStatus("live");
        });
      }
      current.onerror = () => {
        if (current.readyState !== EventSource.CLOSED) {
          setStatus("reconnecting");
          return;
        }
        if (!retryRefused) {
          setStatus("stopped");
          return;
        }
        setStatus("reconnecting");
        timer = setTimeout(connect, delay);
        delay = Math.min(delay * 2, maxDelayMs);
      };
    };
    setStatus("connecting");
    connect();
    return () => {
      clearTimeout(timer);
      source?.close();
    };
  }, [url, names, liveOn, retryRefused]);

  return status;
}
