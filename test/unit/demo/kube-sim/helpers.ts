import http from "node:http";
import {
  type V1Container,
  type V1DeploymentStrategy,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from "@kubernetes/client-node";
import { startKubeSim, type KubeSim, type KubeSimOptions } from "@/server/demo/kube-sim";

/** Test helpers: talk to the simulator exactly as the portal will, through @kubernetes/client-node. */

export async function startSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  return startKubeSim({ clock: "manual", ...options });
}

export function kubeConfigFor(sim: KubeSim, token = sim.adminToken): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "sim", server: sim.url, skipTLSVerify: true }],
    users: [{ name: "user", token }],
    contexts: [{ name: "sim", cluster: "sim", user: "user" }],
    currentContext: "sim",
  });
  return kc;
}

export function clientsFor(sim: KubeSim, token = sim.adminToken) {
  const kc = kubeConfigFor(sim, token);
  return {
    kc,
    apps: kc.makeApiClient(AppsV1Api),
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    watch: new Watch(kc),
  };
}

export const strategic = () => setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch);
export const merge = () => setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
export const jsonPatch = () => setHeaderOptions("Content-Type", PatchStrategy.JsonPatch);

export const ROLLOUTS = { group: "argoproj.io", version: "v1alpha1", plural: "rollouts" } as const;

export interface KubeStatus {
  kind: string;
  apiVersion: string;
  status: string;
  message: string;
  reason: string;
  code: number;
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ field?: string; message: string }> };
}

/** Awaits a rejected client-node call and returns its HTTP code and parsed Status body. */
export async function apiError(call: Promise<unknown>): Promise<{ code: number; status: KubeStatus }> {
  try {
    await call;
  } catch (e) {
    const err = e as { code?: number; body?: unknown };
    const status = (typeof err.body === "string" ? JSON.parse(err.body) : err.body) as KubeStatus;
    return { code: err.code ?? 0, status };
  }
  throw new Error("expected the call to fail");
}

/** Raw HTTP request (node:http), for headers client-node cannot send and for JSON exactly as served. */
export function rawRequest(
  sim: KubeSim,
  path: string,
  options: { method?: string; token?: string | null; headers?: http.OutgoingHttpHeaders; body?: unknown } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; json: () => any }> {
  const url = new URL(path, sim.url);
  const token = options.token === undefined ? sim.adminToken : options.token;
  const payload = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: options.method ?? "GET",
        headers: {
          accept: "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload !== undefined ? { "content-type": "application/json" } : {}),
          ...options.headers,
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }));
      },
    );
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export interface WatchEvent {
  type: string;
  object: any;
}

/** A client-node Watch that records its events. */
export async function watchEvents(
  kc: KubeConfig,
  path: string,
  params: Record<string, string | number | boolean | undefined> = {},
): Promise<{
  events: WatchEvent[];
  done: Promise<unknown>;
  stop: () => void;
  next: (pred: (e: WatchEvent) => boolean, timeoutMs?: number) => Promise<WatchEvent>;
}> {
  const events: WatchEvent[] = [];
  const waiters: Array<{ pred: (e: WatchEvent) => boolean; resolve: (e: WatchEvent) => void }> = [];
  let finish: (err: unknown) => void = () => undefined;
  const done = new Promise<unknown>((resolve) => (finish = resolve));
  const controller = await new Watch(kc).watch(
    path,
    params,
    (type, object) => {
      const e = { type, object };
      events.push(e);
      for (const w of [...waiters]) {
        if (w.pred(e)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(e);
        }
      }
    },
    (err) => finish(err ?? null),
  );
  return {
    events,
    done,
    stop: () => controller.abort(),
    next: (pred, timeoutMs = 5000) =>
      new Promise<WatchEvent>((resolve, reject) => {
        const found = events.find(pred);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no matching watch event within ${timeoutMs}ms`)), timeoutMs);
        waiters.push({
          pred,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      }),
  };
}

/** Lets pending socket data reach the client. */
export async function settle(ms = 20): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Advances simulated time in steps until `check` passes (or fails after `maxMs` simulated). */
export async function advanceUntil(sim: KubeSim, check: () => Promise<boolean> | boolean, maxMs = 120_000, stepMs = 500): Promise<number> {
  let waited = 0;
  while (!(await check())) {
    if (waited >= maxMs) throw new Error(`condition not reached after ${maxMs}ms of simulated time`);
    await sim.clock.advance(stepMs);
    waited += stepMs;
  }
  return waited;
}

export function deploymentManifest(
  name: string,
  namespace: string,
  image: string,
  extra: { replicas?: number; strategy?: V1DeploymentStrategy; containers?: V1Container[]; progressDeadlineSeconds?: number; minReadySeconds?: number } = {},
) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas: extra.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      ...(extra.strategy ? { strategy: extra.strategy } : {}),
      ...(extra.progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds: extra.progressDeadlineSeconds } : {}),
      ...(extra.minReadySeconds !== undefined ? { minReadySeconds: extra.minReadySeconds } : {}),
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: extra.containers ?? ([{ name: "app", image }] as V1Container[]) },
      },
    },
  };
}
