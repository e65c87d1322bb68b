import http from "node:http";
import net from "node:net";

/**
 * Real servers on 127.0.0.1 that stand between a Slipway replica and what it talks to, so a test can hold or cut
 * that traffic: an HTTP proxy in front of a Kubernetes API simulator, a TCP proxy in front of Postgres, and a
 * server-sent events reader that plays the browser.
 */

/** Forwards every request to `target`; PATCHes can be held for a while (a slow cluster), and are counted on arrival. */
export async function startClusterProxy(target: string) {
  const arrivals: Array<() => void> = [];
  let holdPatchMs = 0;
  let patches = 0;
  const server = http.createServer((req, res) => {
    const forward = () => {
      const upstream = http.request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.destroy());
      res.on("close", () => upstream.destroy());
      req.pipe(upstream);
    };
    if (req.method !== "PATCH") return forward();
    patches++;
    for (const notify of arrivals.splice(0)) notify();
    if (!holdPatchMs) return forward();
    // A client that goes away while its PATCH is held (a replica that exited) never reaches the cluster.
    req.pause();
    const timer = setTimeout(() => {
      if (!req.socket.destroyed) forward();
    }, holdPatchMs);
    req.socket.once("close", () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    hold(ms: number) {
      holdPatchMs = ms;
    },
    patches: () => patches,
    /** Resolves at the next PATCH this proxy receives. */
    nextPatch: () => new Promise<void>((resolve) => arrivals.push(resolve)),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Postgres behind a TCP proxy: `cut()` drops every connection and refuses new ones until `restore()`. */
export async function startDatabaseProxy(targetPort: number) {
  const sockets = new Set<net.Socket>();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) return client.destroy();
    const upstream = net.connect(targetPort, "127.0.0.1");
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore() {
      cut = false;
    },
    async close() {
      this.cut();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type SseEvent = { event: string; data: unknown; at: number };

/** Reads a server-sent event stream as a browser's EventSource would (without reconnecting); `ended` settles at its end. */
export async function openEventStream(url: string, cookie: string) {
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const abort = new AbortController();
  const response = await fetch(url, { headers: { cookie, accept: "text/event-stream" }, signal: abort.signal });
  if (response.status !== 200 || !response.body) throw new Error(`stream answered ${response.status}: ${await response.text()}`);
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data), at: performance.now() });
          for (const wake of waiters) wake();
        }
      }
    } catch {
      // Aborted by the test, or the connection dropped.
    }
    return performance.now();
  })();
  return {
    events,
    ended,
    /** Resolves with the first event (already received or coming) that `match` accepts. */
    async waitFor(match: (e: SseEvent) => boolean, ms = 10_000): Promise<SseEvent> {
      const end = Date.now() + ms;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        if (Date.now() > end) throw new Error(`no matching event within ${ms} ms; got ${events.map((e) => e.event).join(", ")}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
          setTimeout(wake, 100);
        });
      }
    },
    close: () => abort.abort(),
  };
}
