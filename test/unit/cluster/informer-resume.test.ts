import { afterEach, describe, expect, it } from "vitest";
import { Informer, type InformerChange } from "../../../server/cluster/informer";
import type { KubeSim, RequestFailure } from "../../../server/demo/kube-sim";
import { cardApi, gatewayFor, startSim, stopSimsAfterAll, until } from "./fixture";

/**
 * The watch path as it runs against a real 1.20 API server: no bookmarks, so a quiet watch that the server (or
 * client-node) ends resumes from the resourceVersion of the last event it saw, which may have become too old.
 */

const ref = { cluster: "staging", kind: "Deployment", namespace: "cards", name: "card-api" } as const;
const WATCH_TIMEOUT_MS = 5000;

function deploymentInformer(sim: KubeSim) {
  const informer = new Informer(gatewayFor(sim), "deployments", "cards", { maxBackoffMs: 200, absentRetryMs: 1000 });
  const changes: Array<InformerChange<"deployments">> = [];
  informer.subscribe((c) => changes.push(c));
  informer.start();
  return { informer, changes };
}

const imageOf = (informer: Informer<"deployments">) => informer.items()[0]?.spec.template.spec.containers[0]?.image;

/** Lets the server end the current watch (its own timeout, simulated time) and waits until the informer watches again. */
async function serverEndsWatch(sim: KubeSim, informer: Informer<"deployments">): Promise<void> {
  await until(() => sim.openWatches() === 1, "the watch to be open");
  const watches = informer.stats.watches;
  await sim.clock.advance(WATCH_TIMEOUT_MS);
  await until(() => informer.stats.watches > watches, "the informer to watch again");
}

describe("informer watches against a 1.20 API server: no bookmarks, server-side timeouts, refusals", () => {
  stopSimsAfterAll();
  const informers: Array<Informer<"deployments">> = [];
  afterEach(() => {
    for (const i of informers.splice(0)) i.stop();
  });

  it("resumes a quiet watch the server ended from the last resourceVersion, without a relist, and still sees later changes", async () => {
    const sim = await startSim({ watchTimeoutMs: WATCH_TIMEOUT_MS }, [cardApi()]);
    const { informer, changes } = deploymentInformer(sim);
    informers.push(informer);
    await until(() => informer.synced && informer.stats.watches === 1, "the first list and watch");
    for (let i = 0; i < 3; i++) await serverEndsWatch(sim, informer);
    expect(informer.stats).toMatchObject({ lists: 1, relists: 0, resumes: 3 });
    // Resuming from "" would replay every object as ADDED; resuming from the last version replays nothing.
    expect(changes.map((c) => c.type)).toEqual(["RESYNC"]);
    await gatewayFor(sim).setImage(ref, "app", "registry.example/card-api:2.0.0");
    await until(() => imageOf(informer) === "registry.example/card-api:2.0.0", "the image change");
    await serverEndsWatch(sim, informer);
    expect(informer.stats).toMatchObject({ lists: 1, relists: 0 });
    expect(informer.lastError).toBeNull();
  });

  it("lists again when the quiet watch's resourceVersion became too old meanwhile (410 Gone), then follows changes", async () => {
    const sim = await startSim({ watchTimeoutMs: WATCH_TIMEOUT_MS, historyLimit: 20 }, [cardApi()]);
    const { informer } = deploymentInformer(sim);
    informers.push(informer);
    await until(() => informer.synced && sim.openWatches() === 1, "the first list and watch");
    // Busy elsewhere: the history window moves past the last version this namespace's watch saw.
    await sim.seedWorkloads(Array.from({ length: 4 }, (_, i) => ({ namespace: "other", name: `busy-${i}`, image: "registry.example/busy:1", replicas: 2 })));
    await serverEndsWatch(sim, informer);
    await until(() => informer.stats.relists === 1 && informer.stats.lists === 2, "a relist after 410 Gone");
    await until(() => informer.stats.watches >= 3, "a watch from the new list's resourceVersion");
    expect(informer.lastError).toBeNull();
    await gatewayFor(sim).setImage(ref, "app", "registry.example/card-api:3.0.0");
    await until(() => imageOf(informer) === "registry.example/card-api:3.0.0", "the image change after the relist");
  });

  it("needs no relist for the same churn when the server sends bookmarks", async () => {
    const sim = await startSim({ watchTimeoutMs: WATCH_TIMEOUT_MS, historyLimit: 20, watchBookmarks: true, bookmarkIntervalMs: 1000 }, [cardApi()]);
    const { informer } = deploymentInformer(sim);
    informers.push(informer);
    await until(() => informer.synced && sim.openWatches() === 1, "the first list and watch");
    await sim.seedWorkloads(Array.from({ length: 4 }, (_, i) => ({ namespace: "other", name: `busy-${i}`, image: "registry.example/busy:1", replicas: 2 })));
    await serverEndsWatch(sim, informer);
    await new Promise((r) => setTimeout(r, 100));
    expect(informer.stats).toMatchObject({ lists: 1, relists: 0, resumes: 1 });
  });

  it.each<[RequestFailure["status"], number, RegExp]>([
    [403, 403, /^Cluster staging does not allow Slipway to watch deployments in namespace cards \(403 Forbidden\); retrying$/],
    [429, 503, /^Cluster staging is overloaded \(429 Too Many Requests\); watching deployments in namespace cards again shortly$/],
    [500, 502, /^Cluster staging failed to watch deployments in namespace cards \(500 Internal Server Error\); retrying$/],
    [503, 503, /^Cluster staging failed to watch deployments in namespace cards \(503 Service Unavailable\); retrying$/],
  ])("keeps a watch answered %i as a typed error with status %i, retries, and recovers", async (answer, status, message) => {
    const sim = await startSim({ watchTimeoutMs: WATCH_TIMEOUT_MS }, [cardApi()]);
    const { informer } = deploymentInformer(sim);
    informers.push(informer);
    await until(() => informer.synced && sim.openWatches() === 1, "the first list and watch");
    sim.setRequestFailure({ status: answer, verbs: ["watch"] });
    await sim.clock.advance(WATCH_TIMEOUT_MS);
    const failure = await until(() => informer.lastError as { status?: number; message?: string } | null, "the failed watch");
    expect(failure).toMatchObject({ status });
    expect(failure.message).toMatch(message);
    const watches = informer.stats.watches;
    await until(() => informer.stats.watches >= watches + 2, "retries");
    sim.setRequestFailure(null);
    await until(() => informer.lastError === null && sim.openWatches() === 1, "the watch to be back");
    expect(informer.stats).toMatchObject({ lists: 1, relists: 0 });
  });
});
