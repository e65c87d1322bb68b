import http from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { path: string; headers: http.IncomingHttpHeaders; body: string; status: number | "hung"; at: number };
type Behaviour = (request: {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  nth: number;
}) => number | "hang" | { status: number; json: unknown };

/** A real HTTP receiver on 127.0.0.1 whose answer to each request is chosen by the test. */
export async function startReceiver(behaviour: Behaviour = () => 200) {
  const received: Received[] = [];
  let answer = behaviour;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "/";
      const key = String(req.headers["idempotency-key"] ?? path);
      const nth = received.filter((r) => String(r.headers["idempotency-key"] ?? r.path) === key).length + 1;
      const chosen = answer({ path, headers: req.headers, body, nth });
      const entry: Received = {
        path,
        headers: req.headers,
        body,
        status: chosen === "hang" ? "hung" : typeof chosen === "number" ? chosen : chosen.status,
        at: Date.now(),
      };
      received.push(entry);
      if (chosen === "hang") return;
      if (typeof chosen === "number") {
        res.writeHead(chosen, { "content-type": "text/plain" });
        return res.end(chosen < 300 ? "ok" : "boom");
      }
      res.writeHead(chosen.status, { "content-type": "application/json" });
      res.end(JSON.stringify(chosen.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Requests the receiver accepted (2xx), by idempotency key. */
    accepted(): Map<string, number> {
      const counts = new Map<string, number>();
      for (const r of received) {
        if (typeof r.status === "number" && r.status < 300)
          counts.set(String(r.headers["idempotency-key"]), (counts.get(String(r.headers["idempotency-key"])) ?? 0) + 1);
      }
      return counts;
    },
    setBehaviour(next: Behaviour) {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Waits for a condition (no fixed sleeps): polls until `check` holds, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
