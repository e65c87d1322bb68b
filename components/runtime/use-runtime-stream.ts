"use client";

import { useState } from "react";
import { useEventStream, streamEvent, type StreamStatus } from "@/components/api/use-event-stream";
import { serviceRuntimeSchema, type ServiceRuntime } from "@/server/cluster/contract";

/** The runtime, kept current by the server-sent `runtime` events of `url`; a refused stream is asked again, backing off. */
export function useRuntimeStream(initial: ServiceRuntime, url: string): { runtime: ServiceRuntime; state: StreamStatus } {
  const [runtime, setRuntime] = useState(initial);
  const state = useEventStream(url, { runtime: streamEvent(serviceRuntimeSchema, setRuntime) }, { liveOn: "open", retryRefused: true });
  return { runtime, state };
}
