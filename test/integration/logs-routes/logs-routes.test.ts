import fs from "node:fs";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as getContext } from "../../../app/api/v1/services/[name]/logs/context/route";
import { GET as getErrorRate } from "../../../app/api/v1/services/[name]/logs/error-rate/route";
import { GET as getExport } from "../../../app/api/v1/services/[name]/logs/export/route";
import { GET as getLogs } from "../../../app/api/v1/services/[name]/logs/route";
import { GET as streamLogs } from "../../../app/api/v1/services/[name]/logs/stream/route";
import { GET as getPodLogs } from "../../../app/api/v1/services/[name]/pods/[pod]/logs/route";
import { importCatalogue } from "../../../server/catalogue";
import { createSlipway } from "../../../server/composition";
import { setClusterRegistry } from "../../../server/cluster/cluster-registry";
import { feedLines, generateServiceLogs, startEsSim, type EsSim, type FluentdRecord } from "../../../server/demo/es-sim";
import { startKubeSim, type KubeSim } from "../../../server/demo/kube-sim";
import { createLogs, ElasticsearchLogSource, type ErrorRate, type LineContext, type LogPage, type Logs, type PodLogs } from "../../../server/logs";
import { call, tokenFor, type Caller } from "../../fixtures/api";
import { asSystem, useTestDatabase } from "../../fixtures/database";

/*
 * The Logs tab's API as a script sees it: authorised like the catalogue, filters validated (never a query language),
 * the service's namespace and label from the catalogue, a failing log store reported in `errors` with a 200, pod logs
 * only for the service's own pods.
 */

const demo = fs.readFileSync("server/demo/seed/catalog.yaml", "utf8");

function records(now: number): FluentdRecord[] {
  const pods = ["card-api-7c9d8f6b5-aaaaa", "card-api-7c9d8f6b5-bbbbb"].map((pod) => ({
    namespace: "cards",
    pod,
    image: "registry.example.com/cards/card-api:2.4.0",
    labels: { "backstage.io/kubernetes-id": "card-api" },
    style: "json" as const,
  }));
  const other = [
    {
      namespace: "payments",
      pod: "ledger-84f6d7c5b-t5y6u",
      image: "registry.example.com/payments/ledger:7.0.2",
      labels: { "backstage.io/kubernetes-id": "ledger" },
    },
  ];
  return [
    ...generateServiceLogs({ pods, from: now - 20 * 60_000, count: 500, seed: 3 }),
    ...generateServiceLogs({ pods: other, from: now - 20 * 60_000, count: 100, seed: 4 }),
  ];
}

describe("the logs API", () => {
  const db = useTestDatabase();
  let es: EsSim;
  let kube: KubeSim;
  let logs: Logs;
  let caller: Caller;

  beforeAll(async () => {
    es = await startEsSim();
    await feedLines(es.url, records(Date.now()), { refresh: "true" });
    kube = await startKubeSim({ clock: "real", crashAfterMs: 300 });
    await kube.seedWorkloads([
      {
        namespace: "cards",
        name: "card-api",
        image: "registry.example.com/cards/card-api:2.4.0",
        replicas: 1,
        labels: { "backstage.io/kubernetes-id": "card-api" },
      },
      {
        namespace: "notifications",
        name: "email-sender",
        image: "registry.example.com/notifications/email-sender:2.0.0-crashloop",
        replicas: 1,
        labels: { "backstage.io/kubernetes-id": "email-sender" },
      },
    ]);
    setClusterRegistry({
      environments: [{ name: "staging" }, { name: "production", production: true }],
      clusters: [{ name: "staging", environment: "staging", connection: { server: kube.url, token: kube.adminToken }, timeoutSeconds: 3 }],
      namespaceOwners: { cards: ["cards"], notifications: ["notifications"] },
    });
    const { clusterRegistry } = await import("../../../server/cluster/cluster-registry");
    logs = createLogs({
      sources: { staging: new ElasticsearchLogSource({ environment: "staging", flavour: "elasticsearch8", url: es.url, indexPattern: "logstash-*" }) },
      clusters: (name) => clusterRegistry().gateway(name),
      tail: { intervalMs: 200 },
    });
    createSlipway({ database: db.current(), releases: null, logs });
  });
  afterAll(async () => {
    createSlipway({ database: db.current(), releases: null });
    logs?.stop();
    setClusterRegistry(null);
    await kube?.stop();
    await es?.stop();
  });
  beforeEach(async () => {
    await importCatalogue(demo, asSystem, db.current().prisma);
    caller = await tokenFor(db.current(), { person: "tom.hughes" }, ["read"]);
  });

  it("pages a service's lines newest first through the cursor, only that service's", async () => {
    const to = new Date().toISOString();
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const first = await call(getLogs, {
      path: `/api/v1/services/card-api/logs?environment=staging&limit=100&from=${from}&to=${to}`,
      caller,
      params: { name: "card-api" },
    });
    expect(first.status).toBe(200);
    const page = first.body as LogPage;
    expect(page.errors).toEqual([]);
    expect(page.lines).toHaveLength(100);
    expect(page.lines.every((l) => l.pod.startsWith("card-api-"))).toBe(true);
    const times = page.lines.map((l) => Date.parse(l.timestamp));
    expect(times).toEqual(times.slice().sort((a, b) => b - a));
    expect(page.nextCursor).toBeTruthy();
    const next = await call(getLogs, {
      path: `/api/v1/services/card-api/logs?environment=staging&limit=100&from=${from}&to=${to}&cursor=${encodeURIComponent(page.nextCursor!)}`,
      caller,
      params: { name: "card-api" },
    });
    const older = next.body as LogPage;
    expect(older.lines).toHaveLength(100);
    // Without its range a cursor is refused, not silently applied to another search.
    const rangeless = await call(getLogs, {
      path: `/api/v1/services/card-api/logs?environment=staging&cursor=${encodeURIComponent(page.nextCursor!)}`,
      caller,
      params: { name: "card-api" },
    });
    expect(rangeless.status).toBe(400);
    expect(Date.parse(older.lines[0]!.timestamp)).toBeLessThanOrEqual(times.at(-1)!);
    expect(new Set([...page.lines, ...older.lines].map((l) => l.id)).size).toBe(200);
  });

  it("refuses bad filters and strangers, and keeps query syntax as text", async () => {
    const at = (q: string, who: Caller | undefined = caller) =>
      call(getLogs, { path: `/api/v1/services/card-api/logs?${q}`, caller: who, params: { name: "card-api" } });
    expect((await at("environment=staging", { kind: "anonymous" })).status).toBe(401);
    expect((await at("environment=staging&pod=Not_A_Pod")).status).toBe(400);
    expect((await at("environment=staging&level=loud")).status).toBe(400);
    expect((await at("environment=staging&q=%00")).status).toBe(400);
    expect((await at("environment=staging&from=2020-01-01T00:00:00Z&to=2020-03-01T00:00:00Z")).status).toBe(422);
    expect((await at("environment=staging&query=%7B%7D")).status).toBe(400);
    expect((await at("environment=nowhere")).status).toBe(404);
    for (const q of ["kubernetes.namespace_name:payments", '{"match_all":{}}', "*", "ledger OR *", "a".repeat(512)]) {
      const res = await at(`environment=staging&q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      const body = res.body as LogPage;
      expect(body.errors, q).toEqual([]);
      expect(
        body.lines.every((l) => l.pod.startsWith("card-api-")),
        q,
      ).toBe(true);
    }
  });

  it("reports an environment without a log store, and a dead one, as problems in a 200", async () => {
    const production = await call(getLogs, { path: "/api/v1/services/card-api/logs?environment=production", caller, params: { name: "card-api" } });
    expect(production.status).toBe(200);
    expect((production.body as LogPage).errors[0]!.code).toBe("not_configured");
    es.setFailure({ status: 503 });
    try {
      const down = await call(getLogs, { path: "/api/v1/services/card-api/logs?environment=staging", caller, params: { name: "card-api" } });
      expect(down.status).toBe(200);
      expect((down.body as LogPage).errors.length).toBeGreaterThan(0);
    } finally {
      es.setFailure(null);
    }
  });

  it("counts error lines per minute for the Metrics tab, and degrades to no points with the reason", async () => {
    const at = (q: string) => call(getErrorRate, { path: `/api/v1/services/card-api/logs/error-rate?${q}`, caller, params: { name: "card-api" } });
    const to = Date.now();
    const res = await at(`environment=staging&from=${to - 30 * 60_000}&to=${to}`);
    expect(res.status).toBe(200);
    const rate = res.body as ErrorRate;
    expect(rate.errors).toEqual([]);
    expect(rate.intervalMs).toBe(60_000);
    expect(rate.points.length).toBeGreaterThanOrEqual(30);
    // The store's count agrees with the error lines a page shows for the same range.
    const page = await call(getLogs, {
      path: `/api/v1/services/card-api/logs?environment=staging&from=${to - 30 * 60_000}&to=${to}&level=error&level=fatal&limit=1000`,
      caller,
      params: { name: "card-api" },
    });
    const shown = (page.body as LogPage).lines.length;
    const counted = rate.points.reduce((sum, [, v]) => sum + v, 0);
    expect(counted).toBeGreaterThanOrEqual(shown);
    expect(counted).toBeGreaterThan(0);

    expect(((await at("environment=production")).body as ErrorRate).errors[0]!.code).toBe("not_configured");
    es.setFailure({ status: 429 });
    try {
      const limited = (await at("environment=staging")).body as ErrorRate;
      expect(limited.points).toEqual([]);
      expect(limited.errors[0]!.code).toBe("rate_limited");
    } finally {
      es.setFailure(null);
    }
    expect((await at("environment=staging&q=error")).status).toBe(400);
    expect((await at("environment=staging&rollout=not-a-uuid")).status).toBe(400);
    expect((await at("environment=staging&rollout=4b0c6a3e-1d2f-4a5b-8c9d-0e1f2a3b4c5d")).status).toBe(404);
  });

  it("returns the lines around a line from its pod, and nothing for another service's line", async () => {
    const page = (await call(getLogs, { path: "/api/v1/services/card-api/logs?environment=staging&limit=50", caller, params: { name: "card-api" } }))
      .body as LogPage;
    const anchor = page.lines[25]!;
    const res = await call(getContext, {
      path: `/api/v1/services/card-api/logs/context?environment=staging&id=${encodeURIComponent(anchor.id)}&size=5`,
      caller,
      params: { name: "card-api" },
    });
    expect(res.status).toBe(200);
    const context = res.body as LineContext;
    expect(context.lines.some((l) => l.id === anchor.id)).toBe(true);
    expect(context.lines.every((l) => l.pod === anchor.pod)).toBe(true);
    const elsewhere = await call(getContext, {
      path: `/api/v1/services/email-sender/logs/context?environment=staging&id=${encodeURIComponent(anchor.id)}`,
      caller,
      params: { name: "email-sender" },
    });
    expect([404, 200]).toContain(elsewhere.status);
    if (elsewhere.status === 200) expect((elsewhere.body as LineContext).lines).toEqual([]);
  });

  it("downloads the view as NDJSON", async () => {
    const request = new NextRequest("http://slipway.test/api/v1/services/card-api/logs/export?environment=staging&level=info", {
      headers: { authorization: `Bearer ${(caller as { token: string }).token}`, "x-slipway-client-ip": "10.0.0.7" },
    });
    const response = await getExport(request, { params: Promise.resolve({ name: "card-api" }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    const rows = (await response.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { level?: string; pod?: string });
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r) => r.level === "info" && r.pod!.startsWith("card-api-"))).toBe(true);
    const tooLong = await call(getExport, {
      path: "/api/v1/services/card-api/logs/export?environment=staging&from=2020-01-01T00:00:00Z&to=2020-03-01T00:00:00Z",
      caller,
      params: { name: "card-api" },
    });
    expect(tooLong.status).toBe(422);
  });

  it("streams new lines as server-sent events", async () => {
    const controller = new AbortController();
    const request = new NextRequest("http://slipway.test/api/v1/services/card-api/logs/stream?environment=staging", {
      headers: { authorization: `Bearer ${(caller as { token: string }).token}`, "x-slipway-client-ip": "10.0.0.7" },
      signal: controller.signal,
    });
    const response = await streamLogs(request, { params: Promise.resolve({ name: "card-api" }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    await new Promise((r) => setTimeout(r, 500));
    await feedLines(
      es.url,
      [
        {
          namespace: "cards",
          pod: "card-api-7c9d8f6b5-aaaaa",
          container: "app",
          image: "x:1",
          labels: { "backstage.io/kubernetes-id": "card-api" },
          time: Date.now(),
          line: "streamed-marker",
        },
      ],
      { refresh: "true" },
    );
    let text = "";
    const deadline = Date.now() + 5_000;
    while (!text.includes("streamed-marker") && Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 500))]);
      if (chunk && !chunk.done) text += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    expect(text).toContain("event: lines");
    expect(text).toContain("streamed-marker");
  });

  it("reads a crash-looping pod's previous container, and only the service's own pods", async () => {
    let pod: string | undefined;
    for (let i = 0; i < 40 && !pod; i++) {
      const res = await fetch(`${kube.url}/api/v1/namespaces/notifications/pods`, { headers: { authorization: `Bearer ${kube.adminToken}` } });
      pod = ((await res.json()) as { items: Array<{ metadata: { name: string } }> }).items[0]?.metadata.name;
      if (!pod) await new Promise((r) => setTimeout(r, 250));
    }
    expect(pod).toBeTruthy();
    await new Promise((r) => setTimeout(r, 1500));
    const res = await call(getPodLogs, {
      path: `/api/v1/services/email-sender/pods/${pod}/logs?environment=staging&previous=true&tailLines=50`,
      caller,
      params: { name: "email-sender", pod: pod! },
    });
    expect(res.status).toBe(200);
    const body = res.body as PodLogs;
    expect(body.errors).toEqual([]);
    expect(body.lines.length).toBeGreaterThan(0);
    const foreign = await call(getPodLogs, {
      path: `/api/v1/services/card-api/pods/${pod}/logs?environment=staging`,
      caller,
      params: { name: "card-api", pod: pod! },
    });
    expect(foreign.status).toBe(404);
  });
});
