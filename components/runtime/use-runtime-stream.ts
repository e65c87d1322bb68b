"use client";

import { useEffect, useState } from "react";
import type { ServiceRuntime } from "@/server/cluster";

export type StreamState = "connecting" | "live" | "reconnecting";

/** The runtime, kept current by the server-sent `runtime` events of `url`; EventSource reconnects by itself. */
export function useRuntimeStream(initial: ServiceRuntime, url: string): { runtime: ServiceRuntime; state: StreamState } {
  const [runtime, setRuntime] = useState(initial);
  const [state, setState] = useState<StreamState>("connecting");
  useEffect(() => {
    const source = new EventSource(url);
    source.onopen = () => setState("live");
    source.onerror = () => setState("reconnecting");
    source.addEventListener("runtime", (event) => {
      try {
        setRuntime(JSON.parse((event as MessageEvent<string>).data) as ServiceRuntime);
        setState("live");
      } catch {
        // A malformed event is skipped; the next one carries the whole state again.
      }
    });
    return () => source.close();
  }, [url]);
  return { runtime, state };
}
