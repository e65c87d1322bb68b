"use client";

import { useState } from "react";
import { useEventStream, streamEvent, type StreamStatus } from "@/components/api/use-event-stream";
import { liveRolloutSchema, type LiveRollout } from "@/server/releases/contract";

/**
 * The live rollout from `/api/v1/rollouts/{id}/stream`: the server sends it at once and on every change (watch
 * events, decisions), so the page never polls. A dropped connection reconnects; a refused one (signed out, rollout
 * gone) stops for good and says so. "Live" only once a snapshot has arrived: an open connection alone shows nothing.
 */
export function useRolloutStream(id: string, enabled = true): { live: LiveRollout | null; status: StreamStatus } {
  const [live, setLive] = useState<LiveRollout | null>(null);
  const status = useEventStream(enabled ? `/api/v1/rollouts/${encodeURIComponent(id)}/stream` : null, { rollout: streamEvent(liveRolloutSchema, setLive) });
  return { live, status };
}
