import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { KubeSim } from "@/server/demo/kube-sim";
import { clientsFor, deploymentManifest, rawRequest, settle, startSim } from "./helpers";

/** pods/{name}/log as the kubelet serves it through the API server: text/plain lines, tail, since, previous, follow. */

async function podName(sim: KubeSim, app: string): Promise<string> {
  const pods = await clientsFor(sim).core.listNamespacedPod({ namespace: "shop", labelSelector: `app=${app}` });
  return pods.items[0]!.metadata!.name!;
}

const logPath = (pod: string, query = "") => `/api/v1/namespaces/shop/pods/${pod}/log${query ? `?${query}` : ""}`;
const linesOf = (body: string) => body.split("\n").filter(Boolean);

/** A follow=true stream: what arrived so far, and whether the server ended it. */
function follow(sim: KubeSim, path: string): Promise<{ text: () => string; ended: () => boolean; close: () => void; status: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, sim.url), { headers: { Authorization: `Bearer ${sim.adminToken}` } }, (res) => {
      let text = "";
      let ended = false;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => (ended = true));
      resolve({ text: () => text, ended: () => ended, close: () => req.destroy(), status: res.statusCode ?? 0 });
    });
    req.on("error", reject);
  });
}

describe("kube-sim pod logs", () => {
  let sim: KubeSim;
  afterEach(async () => {
    await sim.stop();
  });

  it("serves what a running app wrote: startup lines, then JSON or plain lines with levels, growing over time", async () => {
    sim = await startSim();
    await sim.seedWorkloads([
      { namespace: "shop", name: "web", image: "shop/web:1", replicas: 1 },
      { namespace: "shop", name: "orders", image: "shop/orders:1", replicas: 1 },
    ]);
    await sim.clock.advance(120_000);
    const web = await rawRequest(sim, logPath(await podName(sim, "web")));
    expect(web.status).toBe(200);
    expect(web.headers["content-type"]).toBe("text/plain");
    const json = linesOf(web.body).map((l) => JSON.parse(l) as { level: string; msg: string; ts: string });
    expect(json[0]).toMatchObject({ level: "info", msg: "starting app" });
    expect(json.length).toBeGreaterThan(30);
    const jsonLevels = new Set(json.map((l) => l.level));
    expect(jsonLevels.has("info") && jsonLevels.size >= 2).toBe(true);
    expect(json.map((l) => l.ts)).toEqual([...json.map((l) => l.ts)].sort());

    const orders = linesOf((await rawRequest(sim, logPath(await podName(sim, "orders")))).body);
    expect(orders[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO  starting app image=shop\/orders:1$/);
    expect(orders.every((l) => /^\S+Z (DEBUG|INFO |WARN |ERROR) \S/.test(l))).toBe(true);
    const levels = new Set(orders.map((l) => l.split(/\s+/)[1]));
    expect(levels.has("INFO") && levels.size >= 2).toBe(true);

    // The same read twice is the same log; a minute later it has grown.
    expect((await rawRequest(sim, logPath(await podName(sim, "orders")))).body).toBe(orders.join("\n") + "\n");
    await sim.clock.advance(60_000);
    expect(linesOf((await rawRequest(sim, logPath(await podName(sim, "orders")))).body).length).toBeGreaterThan(orders.length + 10);
  });

  it("honours tailLines, timestamps, sinceTime and sinceSeconds", async () => {
    sim = await startSim();
    await sim.seedWorkloads([{ namespace: "shop", name: "orders", image: "shop/orders:1", replicas: 1 }]);
    await sim.clock.advance(300_000);
    const pod = await podName(sim, "orders");
    const all = linesOf((await rawRequest(sim, logPath(pod, "timestamps=true"))).body);
    for (const line of all) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \S/);
    const tail = linesOf((await rawRequest(sim, logPath(pod, "tailLines=3&timestamps=true"))).body);
    expect(tail).toEqual(all.slice(-3));
    const cut = all[Math.floor(all.length / 2)]!.split(" ")[0]!;
    const since = linesOf((await rawRequest(sim, logPath(pod, `timestamps=true&sinceTime=${encodeURIComponent(cut)}`))).body);
    expect(since[0]!.split(" ")[0]! >= cut).toBe(true);
    expect(since).toEqual(all.filter((l) => l.split(" ")[0]! >= cut));
    const lastMinute = linesOf((await rawRequest(sim, logPath(pod, "sinceSeconds=60"))).body);
    expect(lastMinute.length).toBeGreaterThan(10);
    expect(lastMinute.length).toBeLessThan(all.length / 2);
    const both = await rawRequest(sim, logPath(pod, `sinceSeconds=60&sinceTime=${encodeURIComponent(cut)}`));
    expect(both.status).toBe(400);
  });

  it("answers previous=true with 400 while there is no terminated container, and names the container to choose", async () => {
    sim = await startSim();
    await sim.apply([
      deploymentManifest("web", "shop", "shop/web:1", { replicas: 1 }),
      deploymentManifest("duo", "shop", "shop/web:1", {
        replicas: 1,
        containers: [
          { name: "app", image: "shop/web:1" },
          { name: "proxy", image: "envoy:1" },
        ],
      }),
    ]);
    await sim.clock.advance(10_000);
    const web = await podName(sim, "web");
    const previous = await rawRequest(sim, logPath(web, "previous=true"));
    expect(previous.status).toBe(400);
    expect(previous.json()).toMatchObject({
      kind: "Status",
      reason: "BadRequest",
      code: 400,
      message: `previous terminated container "app" in pod "${web}" not found`,
    });
    const duo = await rawRequest(sim, logPath(await podName(sim, "duo")));
    expect(duo.status).toBe(400);
    expect(duo.json().message).toMatch(/^a container name must be specified for pod duo-\S+, choose one of: \[app proxy\]$/);
    expect((await rawRequest(sim, logPath(await podName(sim, "duo"), "container=proxy"))).status).toBe(200);
  });

  it("shows the error a crash-looping container died of, with its stack trace, under previous=true", async () => {
    sim = await startSim({ crashAfterMs: 20_000 });
    await sim.apply([deploymentManifest("orders", "shop", "shop/orders:2-crashloop", { replicas: 1 })]);
    await sim.clock.advance(10_000);
    const pod = await podName(sim, "orders");
    const running = (await rawRequest(sim, logPath(pod))).body;
    expect(running).toContain("starting app");
    expect(running).not.toContain("FATAL");
    // Until it gives up it keeps retrying its database, each failure an error line that names the cause.
    expect(running).not.toContain("listening on");
    expect(
      linesOf(running).filter((l) => /ERROR database connection failed \(attempt \d+\), retrying in 250ms: Error: connect ECONNREFUSED/.test(l)).length,
    ).toBeGreaterThan(20);
    await sim.clock.advance(40_000);
    const status = (await clientsFor(sim).core.readNamespacedPod({ name: pod, namespace: "shop" })).status?.containerStatuses?.[0];
    expect(status?.restartCount).toBeGreaterThanOrEqual(1);
    const previous = await rawRequest(sim, logPath(pod, "previous=true"));
    expect(previous.status).toBe(200);
    const lines = linesOf(previous.body);
    expect(lines[0]).toContain("starting app");
    expect(lines.slice(-7)).toEqual([
      expect.stringMatching(/Z FATAL failed to connect to database, exiting: Error: connect ECONNREFUSED 10\.96\.12\.7:5432$/),
      "Error: connect ECONNREFUSED 10.96.12.7:5432",
      "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)",
      "    at Pool.connect (/app/node_modules/pg-pool/index.js:45:11)",
      "    at Database.migrate (/app/dist/db.js:88:23)",
      "    at async main (/app/dist/server.js:31:5)",
      expect.stringMatching(/Z INFO {2}exiting with status 1$/),
    ]);
  });

  it("follows a log as it grows and ends the stream when the container exits", async () => {
    sim = await startSim({ crashAfterMs: 30_000 });
    await sim.apply([deploymentManifest("orders", "shop", "shop/orders:3-crashloop", { replicas: 1 })]);
    await sim.clock.advance(5000);
    const stream = await follow(sim, logPath(await podName(sim, "orders"), "follow=true"));
    expect(stream.status).toBe(200);
    await settle(50);
    const before = linesOf(stream.text()).length;
    await sim.clock.advance(10_000);
    await settle(50);
    expect(linesOf(stream.text()).length).toBeGreaterThan(before + 1);
    expect(stream.ended()).toBe(false);
    await sim.clock.advance(20_000);
    for (let i = 0; i < 50 && !stream.ended(); i++) await settle(20);
    expect(stream.ended()).toBe(true);
    expect(linesOf(stream.text()).at(-1)).toMatch(/exiting with status 1$/);
    // Nothing lost or repeated: the stream is exactly the log of the run that has now ended.
    const ended = await rawRequest(sim, logPath(await podName(sim, "orders"), "previous=true"));
    expect(stream.text()).toBe(ended.body);
  });
});
