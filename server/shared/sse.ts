import "server-only";

/**
 * A server-sent event stream: `start` gets a `send(event, data)` and the stream's abort signal (the client went
 * away). Comments keep proxies from timing the connection out.
 */
export function eventStream(request: Request, start: (send: (event: string, data: unknown) => void, signal: AbortSignal) => void): Response {
  const encoder = new TextEncoder();
  const abort = new AbortController();
  request.signal.addEventListener("abort", () => abort.abort());
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
      abort.signal.addEventListener("abort", () => {
        clearInterval(keepalive);
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      });
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
