import "server-only";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";

export type DemoSlack = { apiUrl: string; token: string; stop(): Promise<void> };

const postMessage = z.object({ channel: z.string().min(1), text: z.string(), blocks: z.array(z.object({ type: z.string() }).loose()).max(50) }).loose();

/**
 * The embedded default's Slack: a loopback HTTP server answering `chat.postMessage` and `users.lookupByEmail` the
 * way Slack's Web API does (200 with `ok`), so the demo sends real requests through the real worker without Slack.
 * What it accepted is on /notifications/slack, read from the delivery log.
 */
export async function startDemoSlack(): Promise<DemoSlack> {
  const token = "xoxb-slipway-demo";
  let messages = 0;
  const server = http.createServer((req, res) => {
    const answer = (body: Record<string, unknown>) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return answer({ ok: false, error: "invalid_auth" });
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/api/users.lookupByEmail") return answer({ ok: false, error: "users_not_found" });
    if (url.pathname !== "/api/chat.postMessage" || req.method !== "POST") return answer({ ok: false, error: "unknown_method" });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 1_000_000) chunks.push(chunk);
    });
    req.on("end", () => {
      let raw: unknown;
      try {
        raw = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return answer({ ok: false, error: "invalid_json" });
      }
      const message = postMessage.safeParse(raw);
      if (!message.success) return answer({ ok: false, error: "invalid_blocks" });
      messages++;
      answer({ ok: true, channel: message.data.channel, ts: `${Math.floor(Date.now() / 1000)}.${String(messages).padStart(6, "0")}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    token,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
