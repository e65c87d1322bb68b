import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { api, ApiError, problemMessage, retryUnlessClientError } from "../../../components/api/client";

/** A real server on 127.0.0.1 answering as Slipway's routes do: JSON, problem+json, or a proxy's HTML page. */
let server: Server;
let base: string;
const received: Array<{ method: string; url: string; headers: IncomingMessage["headers"]; body: string }> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      if (request.url === "/ok") return response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: "card-api", extra: 1 }));
      if (request.url === "/wrong-shape") return response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: 42 }));
      if (request.url === "/invalid")
        return response.writeHead(400, { "content-type": "application/problem+json" }).end(
          JSON.stringify({
            title: "Bad Request",
            status: 400,
            detail: "The rollout request is not valid.",
            errors: [{ path: "version", message: "must be a version" }],
          }),
        );
      if (request.url === "/proxy") return response.writeHead(502, { "content-type": "text/html" }).end("<html>Bad gateway</html>");
      if (request.url === "/slow") return setTimeout(() => response.writeHead(200).end("{}"), 5_000);
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const named = z.object({ name: z.string() });

describe("the browser's API client", () => {
  it("returns the answer parsed with the contract's schema, keeping only what the contract declares", async () => {
    await expect(api.get(`${base}/ok`, named)).resolves.toEqual({ name: "card-api" });
  });

  it("turns an answer of another shape into an ApiError instead of handing it to a component", async () => {
    const error = await api.get(`${base}/wrong-shape`, named).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).title).toBe("Unexpected answer");
  });

  it("carries a problem's title, detail, status and field errors, and says them in one sentence", async () => {
    const error = (await api.post(`${base}/invalid`, { version: "" }, named).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect({ status: error.status, title: error.title, detail: error.detail }).toEqual({
      status: 400,
      title: "Bad Request",
      detail: "The rollout request is not valid.",
    });
    expect(problemMessage(error)).toBe("The rollout request is not valid. version: must be a version.");
    expect(retryUnlessClientError(0, error)).toBe(false);
  });

  it("reads an error page that is not problem+json as its status", async () => {
    const error = (await api.get(`${base}/proxy`, named).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.detail).toBe("The request failed (HTTP 502).");
    expect(retryUnlessClientError(0, error)).toBe(true);
  });

  it("sends a mutation's body as JSON, same-origin, asking for JSON or a problem", async () => {
    await api.post(`${base}/echo`, { reason: "hotfix" });
    const sent = received.find((r) => r.url === "/echo")!;
    expect(sent.method).toBe("POST");
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(sent.headers.accept).toBe("application/json, application/problem+json");
    expect(JSON.parse(sent.body)).toEqual({ reason: "hotfix" });
  });

  it("lets an aborted request fail as an abort, not as a network problem", async () => {
    const controller = new AbortController();
    const pending = api.get(`${base}/slow`, named, { signal: controller.signal });
    controller.abort();
    const error = (await pending.catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("AbortError");
  });

  it("says Slipway could not be reached when nothing answers", async () => {
    const error = (await api.get("http://127.0.0.1:1/nothing", named).catch((e: unknown) => e)) as ApiError;
    expect({ status: error.status, title: error.title }).toEqual({ status: 0, title: "Network error" });
  });
});
