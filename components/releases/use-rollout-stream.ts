"use client";

import { useEffect, useState } from "react";
import type { LiveRollout } from "./types";

export type StreamStatus = "idle" | "connecting" | "live" | "reconnecting" | "stopped";

/**
 * The live rollout from `/api/v1/rollouts/{id}/stream`: the server sends it at once and on every change (watch
 * events, decisions), so the page never polls. EventSource reconnects by itself after a dropped connection; a
 * refused one (signed out, rollout gone) stops for good and says so.
 */
export function useRolloutStream(id: string, enabled = true): { live: LiveRollout | null; status: StreamStatus } {
  const [live, setLive] = useState<LiveRollout | null>(null);
  const [status, setStatus] = useState<StreamStatus>(enabled ? "connecting" : "idle");

  useEffect(() => {
    if (!enabled) {
      setStatus("idle");
      return;
    }
    setStatus("connecting");
    const source = new EventSource(`/api/v1/rollouts/${encodeURIComponent(id)}/stream`);
    const onRollout = (event: MessageEvent<string>) => {
      try {
        setLive(JSON.parse(event.data) as LiveRollout);
        setStatus("live");
      } catch {
        // A malformed frame is skipped; the next change brings a whole snapshot again.
      }
    };
    source.addEventListener("rollout", onRollout as EventListener);
    // "Live" only once a snapshot has arrived: an open connection alone shows nothing yet.
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? "stopped" : "reconnecting");
    return () => {
      source.removeEventListener("rollout", onRollout as EventListener);
      source.close();
    };
  }, [id, enabled]);

  return { live, status };
}
