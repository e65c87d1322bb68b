import "server-only";
import { onDrain } from "../shared/draining";
import { clusterRegistry } from "./cluster-registry";
import { getServiceRuntime, subscribeServiceRuntime } from "./runtime";
import type { ServiceRuntime } from "./runtime-types";
import type { RuntimeService } from "./runtime";

/**
 * A service's runtime as server-sent events: `runtime` with the full state at once, again shortly after every
 * watch event that changes what it shows, and `: keepalive` comments so proxies keep the connection open. Ends
 * (and lets the informers go) when the client disconnects.
 */

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-store",
  "x-accel-buffering": "no",
} as const;

export type RuntimeStreamOptions = {
  signal: AbortSignal;
  /** The state already read for the first event (saves one read). */
  initial?: ServiceRuntime;
  keepaliveMs?: number;
  coalesceMs?: number;
};

type Rendered = { fingerprint: string; event: string };

/** The runtime without its timestamp: equal fingerprints mean nothing worth sending changed. */
function render(runtime: ServiceRuntime): Rendered {
  return { fingerprint: JSON.stringify({ ...runtime, observedAt: "" }), event: `event: runtime\ndata: ${JSON.stringify(runtime)}\n\n` };
}

// Streams of the same service share one computation per state of the caches (many people watch one rollout).
const renderedKey = Symbol.for("slipway.renderedRuntimes");
type WithRendered = typeof globalThis & { [renderedKey]?: Map<string, { generation: number; rendered: Promise<Rendered> }> };

function renderedRuntime(service: RuntimeService): Promise<Rendered> {
  const g = globalThis as WithRendered;
  const cache = (g[renderedKey] ??= new Map());
  const generation = clusterRegistry().hub().generation;
  const key = JSON.stringify([service.name, service.annotations ?? {}]);
  const hit = cache.get(key);
  if (hit && hit.generation === generation) return hit.rendered;
  const rendered = getServiceRuntime(service).then(render);
  cache.set(key, { generation, rendered });
  rendered.catch(() => cache.delete(key));
  if (cache.size > 1000) cache.delete(cache.keys().next().value!);
  return rendered;
}

export function runtimeEventStream(service: RuntimeService, options: RuntimeStreamOptions): Response {
  const encoder = new TextEncoder();
  let closed = false;
  let unsubscribe: (() => void) | undefined;
  let forgetDrain: (() => void) | undefined;
  let keepalive: NodeJS.Timeout | undefined;
  let close: () => void = () => undefined;

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      close = () => {
        if (closed) return;
        closed = true;
        unsubscribe?.();
        forgetDrain?.();
        if (keepalive) clearInterval(keepalive);
        options.signal.removeEventListener("abort", close);
        try {
          controller.close();
        } catch {
          // Already closed by the reader.
        }
      };
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      let last = "";
      const emit = (rendered: Rendered) => {
        if (rendered.fingerprint === last) return;
        last = rendered.fingerprint;
        send(rendered.event);
      };
      let running = false;
      let again = false;
      const refresh = async () => {
        if (running) {
          again = true;
          return;
        }
        running = true;
        try {
          do {
            again = false;
            const rendered = await renderedRuntime(service);
            if (!closed) emit(rendered);
          } while (again && !closed);
        } catch {
          // The next change tries again; the client keeps what it has.
        } finally {
          running = false;
        }
      };

      if (options.signal.aborted) return close();
      options.signal.addEventListener("abort", close);
      send("retry: 3000\n\n");
      // A replica shutting down ends the stream; the browser comes back soon, to another replica.
      forgetDrain = onDrain(() => {
        send("retry: 250\n\n");
        close();
      });
      if (closed) return;
      unsubscribe = subscribeServiceRuntime(service, () => void refresh(), options.coalesceMs !== undefined ? { coalesceMs: options.coalesceMs } : {});
      emit(options.initial ? render(options.initial) : await renderedRuntime(service));
      // A change between the caller's read and the subscription would otherwise wait for the next one.
      if (options.initial) void refresh();
      keepalive = setInterval(() => send(": keepalive\n\n"), options.keepaliveMs ?? 15_000);
      keepalive.unref();
    },
    cancel() {
      close();
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
