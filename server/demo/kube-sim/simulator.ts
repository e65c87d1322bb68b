import "server-only";
import { randomBytes } from "node:crypto";
import { stringify as toYaml } from "yaml";
import { forbidden, internalError, serviceUnavailable, tooManyRequests } from "./api-errors";
import { SimClock, formatTime, type ClockMode, type SimClockControl } from "./clock";
import { DeploymentController } from "./deployment-controller";
import { EventRecorder } from "./events";
import { GarbageCollector } from "./garbage-collector";
import { ApiServer } from "./http-server";
import { deepClone, isPlainObject } from "./json";
import { nodeObjects } from "./nodes";
import { Kubelet } from "./pods";
import { SeededRandom } from "./random";
import { AccessControl, forbiddenReason } from "./rbac";
import { Registry } from "./registry";
import { ReplicaSetController } from "./replicaset-controller";
import { DEPLOYMENTS, findResourceByKind, NAMESPACES, NODES, ROLLOUTS } from "./resources";
import { RolloutController } from "./rollout-controller";
import { Store } from "./store";
import type { CanaryStep, ImageBehaviour, KubeObject, RbacRule, StoredObject, UserIdentity } from "./types";
import { WatchHub } from "./watch";

export interface KubeSimOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0 = any free port). */
  port?: number;
  clusterName?: string;
  /** Bearer token -> identity, in addition to the admin token. */
  tokens?: Record<string, UserIdentity>;
  /** RBAC grants; members of system:masters (the admin token) are always allowed everything. */
  rbac?: RbacRule[];
  /** "manual" (default): time moves only on `clock.advance()`. "real": controllers tick every ~200 ms of wall time. */
  clock?: ClockMode;
  /** Real-time mode: simulated milliseconds per wall-clock millisecond (default 1). */
  speed?: number;
  /** Simulated time from pod creation to Ready (default 3000). */
  podReadyDelayMs?: number;
  /** Simulated time from pod creation to its containers running (default a third of podReadyDelayMs). */
  podStartDelayMs?: number;
  /** How long a crash-looping container runs before exiting (default 2000). */
  crashAfterMs?: number;
  /** How long a deleted pod stays Terminating (default 1000). */
  podTerminationDelayMs?: number;
  /** Number of changes kept for watch resumption; older resourceVersions get 410 Gone (default 5000). */
  historyLimit?: number;
  /**
   * Send BOOKMARK events to watches that ask for them (allowWatchBookmarks) and end watch-list initial events with
   * one. Default false: a 1.20 API server sends none, so clients must resume from the last event's resourceVersion.
   */
  watchBookmarks?: boolean;
  /** Simulated time between BOOKMARK events, with watchBookmarks (default 10000). */
  bookmarkIntervalMs?: number;
  /**
   * Simulated time after which the server ends a watch that named no timeoutSeconds, as a real API server does after
   * --min-request-timeout (30-60 min). Default: never; tests make it short to exercise resumption.
   */
  watchTimeoutMs?: number;
  /** Simulated start time (default: now, whole seconds). */
  startTime?: number | Date;
  /** Seed for generated names and uids (default fixed in manual mode, random in real mode). */
  seed?: number;
  /** Fixed admin token (default random). */
  adminToken?: string;
  /** Worker nodes (default 3). */
  nodes?: number;
  /**
   * Identity for requests without credentials (the apiserver's --anonymous-auth plus a binding). kubectl (client-go)
   * never sends a bearer token to a plain-HTTP server, so the CLI uses this; default: no anonymous access (401).
   */
  anonymous?: UserIdentity;
  /** Image -> behaviour. Without an entry, tags containing "crashloop" crash-loop and "never-ready" never get ready. */
  imageBehaviours?: Record<string, ImageBehaviour>;
}

/**
 * Requests the API server answers with an error for a while: 403 as a restarting server's authorizer warming up,
 * 429 under API priority and fairness, 500/503 as an overloaded or stopping server. `verbs` narrows it (e.g. watch).
 */
export interface RequestFailure {
  status: 403 | 429 | 500 | 503;
  verbs?: string[];
}

export interface SeedWorkload {
  namespace: string;
  name: string;
  image: string;
  replicas: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  kind?: "Deployment" | "Rollout";
  /** Rollouts only (default: 20% / pause / 50% / pause 30s). */
  canarySteps?: CanaryStep[];
  /** Default "app". */
  containerName?: string;
}

export interface KubeSim {
  /** e.g. "http://127.0.0.1:41234". */
  readonly url: string;
  readonly clusterName: string;
  /** Bearer token of a system:masters user ("kubernetes-admin"). */
  readonly adminToken: string;
  readonly clock: SimClockControl;
  /** Creates or replaces objects (any kind the simulator serves) without authentication, then runs the controllers once. */
  apply(objects: unknown[]): Promise<StoredObject[]>;
  /** Creates Deployments / Rollouts already rolled out: one ReplicaSet at revision 1, all pods Running and Ready. */
  seedWorkloads(specs: SeedWorkload[]): Promise<void>;
  setImageBehaviour(image: string, behaviour: ImageBehaviour): void;
  /** When true every request (and every open watch) has its TCP connection destroyed. */
  setUnreachable(unreachable: boolean): void;
  /** Until called again with null, matching resource requests (and new watches) fail with the given status. */
  setRequestFailure(failure: RequestFailure | null): void;
  /** A kubeconfig (YAML) pointing at `url` with the admin token. */
  kubeconfig(options?: { contextName?: string; token?: string; namespace?: string }): string;
  addToken(token: string, identity: UserIdentity): void;
  setRbac(rules: RbacRule[]): void;
  /** API requests served so far. */
  requestCount(): number;
  /** Writes (PATCH, PUT, POST, DELETE) served so far with this method, under `pathPrefix` if given: e.g. PATCHes of one Deployment. */
  countRequests(method: string, pathPrefix?: string): number;
  /** Watch streams open right now. */
  openWatches(): number;
  stop(): Promise<void>;
}

const DEFAULT_STEPS: CanaryStep[] = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: "30s" } }];

function behaviourByConvention(image: string): ImageBehaviour {
  const tag = image.split("@")[0]?.split("/").pop()?.split(":")[1] ?? "";
  if (/crash-?loop/i.test(tag)) return "crashloop";
  if (/never-?ready|unready/i.test(tag)) return "never-ready";
  return "ok";
}

export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  const mode: ClockMode = options.clock ?? "manual";
  const startMs = options.startTime !== undefined ? new Date(options.startTime).getTime() : Math.floor(Date.now() / 1000) * 1000;
  const clock = new SimClock(mode, startMs, options.speed ?? 1);
  const random = new SeededRandom(options.seed ?? (mode === "manual" ? 20_251_122 : randomBytes(4).readUInt32LE(0)));
  const clusterName = options.clusterName ?? "kube-sim";
  const adminToken = options.adminToken ?? `kube-sim-admin-${randomBytes(16).toString("hex")}`;
  const behaviours = new Map<string, ImageBehaviour>(Object.entries(options.imageBehaviours ?? {}));
  const behaviourOf = (image: string): ImageBehaviour => {
    const exact = behaviours.get(image);
    if (exact) return exact;
    const repo = image.split("@")[0]?.replace(/:[^/:]+$/, "") ?? image;
    return behaviours.get(repo) ?? behaviourByConvention(image);
  };
  const readyDelay = options.podReadyDelayMs ?? 3000;

  const store = new Store(options.historyLimit ?? 5000);
  const now = () => clock.now();
  const wakeAt = (at: number) => clock.wakeAt(at);
  const registry = new Registry(store, now, random);
  const events = new EventRecorder(store, registry, now);
  const kubelet = new Kubelet(
    store,
    registry,
    events,
    random,
    {
      readyDelayMs: readyDelay,
      startDelayMs: Math.min(readyDelay, options.podStartDelayMs ?? Math.round(readyDelay / 3)),
      crashAfterMs: options.crashAfterMs ?? 2000,
      terminationDelayMs: options.podTerminationDelayMs ?? 1000,
    },
    behaviourOf,
    wakeAt,
  );
  const gc = new GarbageCollector(store, registry);
  const replicaSets = new ReplicaSetController(store, registry, events, random, wakeAt);
  const deployments = new DeploymentController(store, registry, events, wakeAt);
  const rollouts = new RolloutController(store, registry, events, wakeAt);
  const watches = new WatchHub(store, now, wakeAt, {
    bookmarks: options.watchBookmarks ?? false,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
    watchTimeoutMs: options.watchTimeoutMs,
  });
  const access = new AccessControl(
    { ...(options.tokens ?? {}), [adminToken]: { user: "kubernetes-admin", groups: ["system:masters"] } },
    options.rbac ?? [],
    options.anonymous,
  );

  const reported = new Set<string>();
  // Real time: the controllers only run when something changed, something is due, or a second has passed, so an
  // idle cluster costs next to nothing (they used to run five times a second over every object).
  let settledVersion = -1;
  let lastFullRun = -Infinity;
  const reconcile = (at: number, due: boolean): void => {
    const idle = mode === "real" && !due && store.currentResourceVersion() === settledVersion && at - lastFullRun < 1000;
    if (idle) {
      watches.tick(at);
      kubelet.tickLogs(at);
      return;
    }
    lastFullRun = at;
    try {
      for (let pass = 0; pass < 200; pass++) {
        const before = store.currentResourceVersion();
        gc.reconcile();
        kubelet.reconcile(at);
        replicaSets.reconcile(at);
        deployments.reconcile(at);
        rollouts.reconcile(at);
        if (store.currentResourceVersion() === before) break;
      }
      events.expire(at);
      watches.tick(at);
      kubelet.tickLogs(at);
      settledVersion = store.currentResourceVersion();
    } catch (error) {
      if (mode === "manual") throw error;
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      if (!reported.has(text)) {
        reported.add(text);
        console.error("kube-sim: controller error", error);
      }
    }
  };
  clock.attach({ reconcile, flush: () => watches.flush() });

  for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"]) registry.create(NAMESPACES, undefined, { metadata: { name: ns } });
  for (const node of nodeObjects(clusterName, options.nodes ?? 3, formatTime(startMs))) {
    const created = registry.create(NODES, undefined, node);
    registry.controllerWrite(NODES, { ...deepClone(created), status: (node as { status?: unknown }).status } as KubeObject, "status");
  }

  let unreachable = false;
  let failure: RequestFailure | null = null;
  let requests = 0;
  const served: Array<{ method: string; path: string }> = [];
  const server = new ApiServer({
    registry,
    access,
    watches,
    kubelet,
    now,
    startedAt: startMs,
    isUnreachable: () => unreachable,
    onRequest: (method, path) => {
      requests++;
      if (method !== "GET") served.push({ method, path });
    },
    injectedFailure: (user, attrs) => {
      if (!failure || (failure.verbs && !failure.verbs.includes(attrs.verb))) return undefined;
      switch (failure.status) {
        case 403:
          return forbidden({ group: attrs.apiGroup ?? "", plural: attrs.resource ?? "" }, attrs.name, forbiddenReason(user, attrs));
        case 429:
          return tooManyRequests();
        case 500:
          return internalError("etcdserver: request timed out");
        case 503:
          return serviceUnavailable("apiserver is shutting down");
      }
    },
  });
  const url = await server.listen(options.host ?? "127.0.0.1", options.port ?? 0);
  if (mode === "real") clock.startRealTime();

  const ensureNamespace = (name: string | undefined) => {
    if (name && !store.get(NAMESPACES, undefined, name)) registry.create(NAMESPACES, undefined, { metadata: { name } });
  };

  const sim: KubeSim = {
    url,
    clusterName,
    adminToken,
    clock,
    async apply(objects) {
      const out: StoredObject[] = [];
      for (const raw of objects) {
        if (!isPlainObject(raw)) throw new TypeError("apply() takes Kubernetes objects");
        const object = deepClone(raw) as KubeObject;
        const rt = findResourceByKind(
          typeof object.apiVersion === "string" ? object.apiVersion : undefined,
          typeof object.kind === "string" ? object.kind : undefined,
        );
        if (!rt) throw new TypeError(`apply(): unsupported kind ${String(object.apiVersion)}/${String(object.kind)}`);
        const meta = isPlainObject(object.metadata) ? object.metadata : {};
        const namespace = rt.namespaced ? (typeof meta.namespace === "string" ? meta.namespace : "default") : undefined;
        ensureNamespace(namespace);
        const name = typeof meta.name === "string" ? meta.name : "";
        const existing = name ? store.get(rt, namespace, name) : undefined;
        if (existing) {
          object.metadata = { ...meta, resourceVersion: existing.metadata.resourceVersion };
          out.push(registry.update(rt, namespace, name, object));
        } else out.push(registry.create(rt, namespace, object));
      }
      await clock.advance(0);
      return out;
    },
    async seedWorkloads(specs) {
      for (const spec of specs) {
        ensureNamespace(spec.namespace);
        const containerName = spec.containerName ?? "app";
        const labels = { app: spec.name, ...(spec.labels ?? {}) };
        const template = {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: containerName,
                image: spec.image,
                ports: [{ name: "http", containerPort: 8080 }],
                readinessProbe: { httpGet: { path: "/healthz", port: 8080 } },
              },
            ],
          },
        };
        const metadata = { name: spec.name, namespace: spec.namespace, labels, ...(spec.annotations ? { annotations: spec.annotations } : {}) };
        if (spec.kind === "Rollout") {
          registry.create(ROLLOUTS, spec.namespace, {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Rollout",
            metadata,
            spec: {
              replicas: spec.replicas,
              selector: { matchLabels: { app: spec.name } },
              template,
              strategy: { canary: { steps: spec.canarySteps ?? DEFAULT_STEPS } },
            },
          });
        } else {
          registry.create(DEPLOYMENTS, spec.namespace, {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata,
            spec: { replicas: spec.replicas, selector: { matchLabels: { app: spec.name } }, template },
          });
        }
      }
      kubelet.instantStart = true;
      try {
        await clock.advance(0);
      } finally {
        kubelet.instantStart = false;
      }
    },
    setImageBehaviour(image, behaviour) {
      behaviours.set(image, behaviour);
    },
    setRequestFailure(value) {
      failure = value;
    },
    setUnreachable(value) {
      unreachable = value;
      if (value) watches.closeAll(true);
    },
    kubeconfig(opts = {}) {
      const context = opts.contextName ?? clusterName;
      return toYaml({
        apiVersion: "v1",
        kind: "Config",
        preferences: {},
        clusters: [{ name: clusterName, cluster: { server: url, "insecure-skip-tls-verify": true } }],
        users: [{ name: `${clusterName}-admin`, user: { token: opts.token ?? adminToken } }],
        contexts: [{ name: context, context: { cluster: clusterName, user: `${clusterName}-admin`, namespace: opts.namespace ?? "default" } }],
        "current-context": context,
      });
    },
    addToken(token, identity) {
      access.addToken(token, identity);
    },
    setRbac(rules) {
      access.setRules(rules);
    },
    requestCount: () => requests,
    countRequests: (method, pathPrefix) => served.filter((r) => r.method === method && (!pathPrefix || r.path.startsWith(pathPrefix))).length,
    openWatches: () => watches.count(),
    async stop() {
      clock.stop();
      watches.dispose();
      await server.close();
    },
  };
  return sim;
}
