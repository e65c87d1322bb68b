import "server-only";
import { onDrain } from "./draining";

/** Checks that a stream's caller may still read it (signed in, session not revoked or expired, token not revoked). */
export type StillAllowed = () => Promise<boolean>;

const streamAccess = { recheckMs: 20_000 };

/** How often open streams re-check their caller; tests shorten it. */
export function setStreamRecheckMs(ms: number): void {
  streamAccess.recheckMs = ms;
}

/**
 * Aborts `abort` when `stillAllowed` says no (or fails: the stream ends and the browser reconnects, checked afresh),
 * asking every `recheckMs` until `abort` is aborted for any reason. A stream outlives the request that checked it.
 */
function recheckAccess(abort: AbortController, stillAllowed: StillAllowed): void {
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => void check(), streamAccess.recheckMs);
    timer.unref();
  };
  const check = async () => {
    const allowed = await stillAllowed().catch(() => false);
    if (abort.signal.aborted) return;
    if (allowed) schedule();
    else abort.abort();
  };
  abort.signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
  schedule();
}

/** A signal for a stream built elsewhere: aborted when the client goes away or may no longer read it. */
export function accessSignal(request: Request, stillAllowed: StillAllowed): AbortSignal {
  const abort = new AbortController();
  if (request.signal.aborted) abort.abort();
  else request.signal.addEventListener("abort", () => abort.abort(), { once: true });
  if (!abort.signal.aborted) recheckAccess(abort, stillAllowed);
  return abort.signal;
}

/**
 * A server-sent event stream: `start` gets a `send(event, data)` and the stream's abort signal (the client went
 * away, or `stillAllowed` said no). Comments keep proxies from timing the connection out.
 */
export function eventStream(
  request: Request,
  start: (send: (event: string, data: unknown) => void, signal: AbortSignal) => void,
  options: { stillAllowed?: StillAllowed } = {},
): Response {
  const encoder = new TextEncoder();
  const abort = new AbortController();
  request.signal.addEventListener("abort", () => abort.abort());
  if (options.stillAllowed) recheckAccess(abort, options.stillAllowed);
  let keepalive: NodeJS.Timeout | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) => {
        if (abort.signal.aborted) return;
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          abort.abort();
        }
      };
      controller.enqueue(encoder.encode("retry: 2000\n\n"));
      keepalive = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(": keepalive\n\n"));
        } catch {
          abort.abort();
        }
      }, 15_000);
      const end = () => {
        forget();
        clearInterval(keepalive);
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      };
      let forget: () => void = () => undefined;
      abort.signal.addEventListener("abort", end, { once: true });
      // A replica shutting down ends its streams, telling browsers to come back soon (to another replica).
      forget = onDrain(() => {
        try {
          controller.enqueue(encoder.encode("retry: 250\n\n"));
        } catch {
          /* already closed */
        }
        abort.abort();
      });
      if (abort.signal.aborted) return end();
      start(send, abort.signal);
    },
    cancel() {
      abort.abort();
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no", connection: "keep-alive" },
  });
}
