import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { UsageError } from "../../../cli/args";
import { ApiClient, ApiError, ConnectionError, formatError } from "../../../cli/http";
import { exitCodeForState, exitCodes } from "../../../cli/outcome";
import { progressReporter } from "../../../cli/progress";
import { run } from "../../../cli/slipway";

/**
 * The CLI against an HTTP server on loopback that answers as Slipway's API does (problem+json errors, a `rollout`
 * event stream, Retry-After), so each case controls exactly what the server says. The real server is exercised by
 * test/e2e/cli/slipway-cli.test.ts.
 */

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;
const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function api(handler: Handler): Promise<{ url: string; requests: Array<{ method: string; url: string; auth: string | undefined; body: string }> }> {
  const requests: Array<{ method: string; url: string; auth: string | undefined; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      handler(req, res, body);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const problem = (res: http.ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/problem+json", ...headers });
  res.end(JSON.stringify({ type: "about:blank", status, ...body }));
};
const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

const rollout = (state: string, extra: Record<string, unknown> = {}) => ({
  id: "5e0c7f2e-8d7a-4c59-9a57-1c9b0d3e2f10",
  service: "statements",
  environment: "staging",
  kind: "deploy",
  state,
  release: { version: "2.4.0", image: "registry.example/statements:2.4.0" },
  requestedBy: "continuous delivery",
  failureReason: null,
  checkpoints: [],
  targets: [],
  startedAt: "2026-12-06T01:00:00.000Z",
  finishedAt: ["succeeded", "failed"].includes(state) ? "2026-12-06T01:00:42.000Z" : null,
  ...extra,
});
const live = (state: string, ready = 3, extra: Record<string, unknown> = {}) => ({
  rollout: rollout(state, extra),
  observations: [
    {
      cluster: "staging",
      name: "statements",
      error: null,
      observation: { workload: { replicas: { desired: 3, updated: 3, ready, available: ready }, status: { state: "progressing", message: "" }, canary: null } },
    },
  ],
});

/** Collects what the CLI writes; `isTTY` makes it a terminal. */
function capture(isTTY = false) {
  let text = "";
  return { stream: { isTTY, columns: 100, write: (t: string) => (text += t) }, text: () => text };
}

async function slipway(url: string, argv: string[], options: { tty?: boolean; env?: Record<string, string> } = {}) {
  const stdout = capture();
  const stderr = capture(options.tty);
  const code = await run({
    argv,
    env: { SLIPWAY_URL: url, SLIPWAY_TOKEN: "slw_test", ...options.env },
    stdout: stdout.stream,
    stderr: stderr.stream,
    followTuning: { idleMs: 2_000, pollMs: { first: 20, max: 80 } },
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe("errors as one readable line", () => {
  it("builds the line from the problem's title, status and detail, with field errors, never a stack", () => {
    const forbidden = new ApiError(403, {
      title: "Forbidden",
      detail: "A production rollout is requested by a person (signed in, or with a personal token), so someone answers for it.",
    });
    expect(formatError(forbidden)).toBe(
      "Forbidden (HTTP 403): A production rollout is requested by a person (signed in, or with a personal token), so someone answers for it.",
    );
    const invalid = new ApiError(400, {
      title: "Bad Request",
      detail: "The request body is not valid.",
      errors: [
        { path: "version", message: "letters, digits, '.', '_', '+' and '-', starting with a letter or digit" },
        { path: "commitSha", message: "a git commit SHA (hex)" },
      ],
    });
    expect(formatError(invalid)).toBe(
      "Bad Request (HTTP 400): The request body is not valid. version: letters, digits, '.', '_', '+' and '-', starting with a letter or digit; commitSha: a git commit SHA (hex)",
    );
    const catalogue = new ApiError(422, {
      title: "Unprocessable Content",
      detail: "The import was rejected:\n7 problems.",
      errors: Array.from({ length: 7 }, (_, i) => ({ document: i + 1, line: 3, message: "spec.owner is required" })),
    });
    const line = formatError(catalogue);
    expect(line).not.toContain("\n");
    expect(line).toMatch(/^Unprocessable Content \(HTTP 422\): The import was rejected: 7 problems\. document 1, line 3: spec.owner is required;/);
    expect(line).toMatch(/document 5, line 3: spec.owner is required \(and 2 more; --json shows them all\)$/);
    expect(formatError(new ApiError(429, { title: "Too Many Requests", detail: "Slow down." }, 30_000))).toBe(
      "Too Many Requests (HTTP 429): Slow down. Retry in 30s.",
    );
    expect(formatError(new UsageError("missing --version", "release register"))).toBe("missing --version (see slipway release register --help)");
    const bug = formatError(new TypeError("Cannot read properties of undefined (reading 'state')"));
    expect(bug).toBe("unexpected TypeError: Cannot read properties of undefined (reading 'state') (please report this)");
    expect(bug).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("says what answered when the answer is not problem+json (a proxy's page), and names an unreachable server", async () => {
    const { url } = await api((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html><h1>502 Bad Gateway</h1></html>");
    });
    const client = new ApiClient(url, "slw_x", fetch, "test");
    const error = await client.send("GET", "/api/v1/me").catch((e: unknown) => e);
    expect(formatError(error)).toBe("Bad Gateway (HTTP 502): GET /api/v1/me was answered without a problem description.");

    // A port nothing listens on: one a server had a moment ago.
    const gone = await api(() => undefined);
    const port = new URL(gone.url).port;
    await new Promise((r) => servers.pop()!.close(r));
    const closed = new ApiClient(gone.url, "slw_x", fetch, "test");
    const refused = await closed.send("GET", "/api/v1/me").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConnectionError);
    expect(formatError(refused)).toBe(`cannot reach Slipway at http://127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it("prints `slipway: <line>` on stderr and exits 1 for an API refusal, 2 for wrong usage, with --json's {error} on stdout", async () => {
    const { url, requests } = await api((_req, res) =>
      problem(res, 403, { title: "Forbidden", detail: "squad tokens register releases and drive automatic environments only." }),
    );
    const refused = await slipway(url, ["rollout", "request", "--service", "statements", "--environment", "production", "--version", "2.4.0", "--json"]);
    expect(refused.code).toBe(exitCodes.error);
    expect(refused.stderr).toBe("slipway: Forbidden (HTTP 403): squad tokens register releases and drive automatic environments only.\n");
    expect(JSON.parse(refused.stdout)).toEqual({
      error: { type: "about:blank", status: 403, title: "Forbidden", detail: "squad tokens register releases and drive automatic environments only." },
    });
    expect(requests[0]).toMatchObject({ method: "POST", url: "/api/v1/rollouts", auth: "Bearer slw_test" });
    expect(JSON.parse(requests[0]!.body)).toEqual({ service: "statements", environment: "production", version: "2.4.0" });

    const noToken = await slipway(url, ["whoami"], { env: { SLIPWAY_TOKEN: "" } });
    expect(noToken).toMatchObject({ code: exitCodes.usage, stdout: "" });
    expect(noToken.stderr).toMatch(/^slipway: no API token: set SLIPWAY_TOKEN or pass --token/);
    const badUrl = await slipway(url, ["whoami", "--url", "slipway.example.com"]);
    expect(badUrl).toMatchObject({ code: exitCodes.usage, stderr: 'slipway: SLIPWAY_URL / --url is not a URL: "slipway.example.com"\n' });
    expect(requests).toHaveLength(1);
  });
});

describe("rollout status --wait", () => {
  it("follows the stream to success, printing a timestamped line per change when stderr is not a terminal", async () => {
    const { url } = await api((req, res) => {
      expect(req.url).toBe(`/api/v1/rollouts/${rollout("x").id}/stream`);
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("retry: 2000\n\n: keepalive\n\n");
      const steps = [live("progressing", 0), live("progressing", 0), live("progressing", 2), live("succeeded", 3)];
      const timer = setInterval(() => {
        const next = steps.shift();
        if (!next) return clearInterval(timer);
        // Split across writes, as TCP may deliver it.
        const text = `event: rollout\ndata: ${JSON.stringify(next)}\n\n`;
        res.write(text.slice(0, 20));
        res.write(text.slice(20));
      }, 10);
    });
    const result = await slipway(url, ["rollout", "status", rollout("x").id, "--wait"]);
    expect(result.code).toBe(exitCodes.ok);
    expect(result.stdout).toBe("statements 2.4.0 is live in staging in 42s.\n");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ statements 2\.4\.0 to staging: progressing \(3\/3 updated, 0\/3 ready\)$/),
      expect.stringMatching(/Z statements 2\.4\.0 to staging: progressing \(3\/3 updated, 2\/3 ready\)$/),
      expect.stringMatching(/Z statements 2\.4\.0 to staging: succeeded$/),
    ]);
  });

  it("redraws one line on a terminal and clears it before the outcome", async () => {
    const { url } = await api((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`event: rollout\ndata: ${JSON.stringify(live("progressing", 1))}\n\n`);
      setTimeout(() => res.write(`event: rollout\ndata: ${JSON.stringify(live("failed", 1, { failureReason: "pods crash-loop: exit code 1" }))}\n\n`), 20);
    });
    const result = await slipway(url, ["rollout", "status", rollout("x").id, "--wait"], { tty: true });
    expect(result.code).toBe(exitCodes.failed);
    expect(result.stderr).not.toMatch(/\n.*\n/);
    expect(result.stderr).toMatch(/^\r\x1b\[2Kstatements 2\.4\.0 to staging: progressing \(3\/3 updated, 1\/3 ready\)\r\x1b\[2K/);
    expect(result.stderr.endsWith("\r\x1b[2Kslipway: statements 2.4.0 failed in staging: pods crash-loop: exit code 1\n")).toBe(true);
  });

  it("reconnects when the stream drops, and polls with backoff where there is no stream", async () => {
    let streams = 0;
    const dropping = await api((_req, res) => {
      streams++;
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`event: rollout\ndata: ${JSON.stringify(live(streams < 3 ? "progressing" : "succeeded", streams))}\n\n`);
    });
    const reconnected = await slipway(dropping.url, ["rollout", "status", rollout("x").id, "--wait"]);
    expect(reconnected.code).toBe(exitCodes.ok);
    expect(streams).toBe(3);

    let polls = 0;
    const polled = await api((req, res) => {
      if (req.url!.endsWith("/stream")) return problem(res, 404, { title: "Not Found", detail: "No stream here." });
      polls++;
      json(res, 200, rollout(polls < 4 ? "progressing" : "rolled_back"));
    });
    // A 404 of the stream is an answer about the rollout, not a missing feature: it is reported, not polled around.
    expect(await slipway(polled.url, ["rollout", "status", rollout("x").id, "--wait"])).toMatchObject({
      code: exitCodes.error,
      stderr: "slipway: Not Found (HTTP 404): No stream here.\n",
    });

    const plain = await api((req, res) => {
      if (req.url!.endsWith("/stream")) return json(res, 200, { note: "a proxy that does not pass event streams" });
      polls++;
      json(res, 200, rollout(polls < 8 ? "progressing" : "rolled_back"));
    });
    const result = await slipway(plain.url, ["rollout", "status", rollout("x").id, "--wait"]);
    expect(result.code).toBe(exitCodes.rolledBack);
    expect(result.stderr).toMatch(/slipway: statements 2\.4\.0 was rolled back in staging\.\n$/);
  });

  it("waits out a 503 with Retry-After, then exits 7 with where it stood when --timeout passes", async () => {
    let calls = 0;
    const { url } = await api((req, res) => {
      calls++;
      if (calls === 1) return problem(res, 503, { title: "Service Unavailable", detail: "Starting." }, { "retry-after": "0" });
      if (req.url!.endsWith("/stream")) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(
          `event: rollout\ndata: ${JSON.stringify(live("awaiting_approval", 0, { checkpoints: [{ kind: "deploy", stepIndex: null, state: "awaiting_approval", approvalsRequired: 1, approvals: [] }] }))}\n\n`,
        );
        return; // and never ends
      }
    });
    const started = Date.now();
    const result = await slipway(url, ["rollout", "status", rollout("x").id, "--wait", "--timeout", "400ms"]);
    expect(result.code).toBe(exitCodes.timedOut);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.stderr).toMatch(
      /slipway: timed out after 400ms: statements 2\.4\.0 to staging: awaiting approval, waiting for approval \(0 of 1\) \(rollout 5e0c7f2e-[0-9a-f-]+\)\n$/,
    );
  });

  it("gives each ending its own exit code", () => {
    expect(["succeeded", "failed", "rolled_back", "rejected", "cancelled", "expired", "superseded", "progressing"].map(exitCodeForState)).toEqual([
      0, 3, 4, 5, 6, 6, 6, 0,
    ]);
  });

  it("writes nothing for an unchanged line, and nothing to clear when it never drew", () => {
    const out = capture(true);
    const progress = progressReporter(out.stream);
    progress.done();
    progress.update("a");
    progress.update("a");
    expect(out.text()).toBe("\r\x1b[2Ka");
  });
});

describe("release register", () => {
  it("fills what CI knows (commit, links, author) and waits for the automatic rollouts with --wait", async () => {
    const { url, requests } = await api((req, res, body) => {
      if (req.method === "POST") return json(res, 201, { release: JSON.parse(body), created: true, autoRollouts: [rollout("x").id], heldByFreeze: [] });
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`event: rollout\ndata: ${JSON.stringify(live("succeeded"))}\n\n`);
    });
    const github = {
      GITHUB_SHA: "9f1c2ab3d4",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "harbour/statements",
      GITHUB_RUN_ID: "77",
      GITHUB_ACTOR: "sofia",
    };
    const result = await slipway(
      url,
      ["release", "register", "--service", "statements", "--version", "2.4.0", "--image", "registry.example/statements:2.4.0", "--wait"],
      {
        env: github,
      },
    );
    expect(result).toMatchObject({
      code: 0,
      stdout: "Registered statements 2.4.0 (registry.example/statements:2.4.0).\nstatements 2.4.0 is live in staging in 42s.\n",
    });
    expect(requests[0]!.url).toBe("/api/v1/services/statements/releases");
    expect(JSON.parse(requests[0]!.body)).toEqual({
      version: "2.4.0",
      image: "registry.example/statements:2.4.0",
      commitSha: "9f1c2ab3d4",
      commitUrl: "https://github.com/harbour/statements/commit/9f1c2ab3d4",
      buildUrl: "https://github.com/harbour/statements/actions/runs/77",
      author: "sofia",
    });
  });
});
