import "server-only";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseYaml } from "yaml";
import { badRequest, internalError, KubeApiError, methodNotAllowed, notAcceptable, pathNotFound, requestTooLarge, unsupportedMediaType } from "./api-errors";
import { formatTime, parseTime } from "./clock";
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from "./discovery";
import { isPlainObject } from "./json";
import { formatLogTimestamp, linesOf, type LogLine } from "./pod-logs";
import type { Kubelet } from "./pods";
import type { AccessControl, AuthenticatedUser, RequestAttributes } from "./rbac";
import type { Registry } from "./registry";
import { findResource, NAMESPACES, PODS, type ResourceType } from "./resources";
import { fieldMatcher, labelMatcher } from "./selectors";
import { tableRow, toTable, wantsTable } from "./table";
import type { Pod } from "./types";
import type { WatchHub } from "./watch";

/** The Kubernetes REST API over plain HTTP: routing, authentication, authorization, encoding. */

export interface ApiServerDeps {
  registry: Registry;
  access: AccessControl;
  watches: WatchHub;
  kubelet: Kubelet;
  now: () => number;
  startedAt: number;
  isUnreachable: () => boolean;
  onRequest: (method: string, path: string) => void;
  /** A failure mode: the error to answer a resource request with instead of serving it, if any. */
  injectedFailure: (user: AuthenticatedUser, attrs: RequestAttributes) => KubeApiError | undefined;
}

const MAX_BODY = 3 * 1024 * 1024;

type Route =
  | { kind: "version" }
  | { kind: "apiVersions" }
  | { kind: "groupList" }
  | { kind: "group"; group: string }
  | { kind: "resourceList"; group: string; version: string }
  | { kind: "review"; resource: "selfsubjectaccessreviews" | "subjectaccessreviews" }
  | { kind: "resource"; rt: ResourceType; namespace?: string; name?: string; subresource?: string };

function parseRoute(segments: string[]): Route | undefined {
  const [root, a, b, ...rest] = segments;
  if (root === "version" && segments.length === 1) return { kind: "version" };
  let group: string;
  let version: string;
  let tail: string[];
  if (root === "api") {
    if (segments.length === 1) return { kind: "apiVersions" };
    if (a !== "v1") return undefined;
    if (segments.length === 2) return { kind: "resourceList", group: "", version: "v1" };
    group = "";
    version = "v1";
    tail = [b ?? "", ...rest];
  } else if (root === "apis") {
    if (segments.length === 1) return { kind: "groupList" };
    if (segments.length === 2) return { kind: "group", group: a ?? "" };
    if (segments.length === 3) return { kind: "resourceList", group: a ?? "", version: b ?? "" };
    group = a ?? "";
    version = b ?? "";
    tail = rest;
  } else return undefined;
  if (group === "authorization.k8s.io" && version === "v1" && tail.length === 1) {
    if (tail[0] === "selfsubjectaccessreviews" || tail[0] === "subjectaccessreviews") return { kind: "review", resource: tail[0] };
  }
  let namespace: string | undefined;
  if (tail[0] === "namespaces" && tail.length >= 3) {
    const candidate = findResource(group, version, tail[2] ?? "");
    if (candidate?.namespaced) {
      namespace = tail[1];
      tail = tail.slice(2);
    }
  }
  const rt = findResource(group, version, tail[0] ?? "");
  if (!rt || tail.length > 3) return undefined;
  if (!rt.namespaced && namespace !== undefined) return undefined;
  const name = tail[1];
  const subresource = tail[2];
  if (subresource !== undefined && !rt.subresources.includes(subresource)) return undefined;
  return {
    kind: "resource",
    rt,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, error: unknown): void {
  const e = error instanceof KubeApiError ? error : internalError(error instanceof Error ? error.message : String(error));
  if (!res.headersSent) send(res, e.code, e.status);
  else res.end();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw requestTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function decodeBody(text: string, contentType: string | undefined): unknown {
  const type = (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!text.trim()) return undefined;
  try {
    if (type === "application/yaml" || type === "application/apply-patch+yaml") return parseYaml(text);
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`error decoding request body: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function intParam(value: string | null, name: string): number | undefined {
  if (value === null || value === "") return undefined;
  if (!/^-?\d+$/.test(value)) throw badRequest(`invalid ${name}: ${value}`);
  return Number(value);
}

function verbFor(method: string, route: Extract<Route, { kind: "resource" }>, watch: boolean): string {
  switch (method) {
    case "GET":
      return watch ? "watch" : route.name !== undefined ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return route.name !== undefined ? "delete" : "deletecollection";
    default:
      throw methodNotAllowed();
  }
}

export class ApiServer {
  private readonly server: http.Server;
  private baseUrl = "";

  constructor(private readonly deps: ApiServerDeps) {
    this.server = http.createServer({ keepAlive: true }, (req, res) => {
      void this.handle(req, res);
    });
  }

  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
    this.baseUrl = `http://${hostPart}:${address.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.deps.onRequest(req.method ?? "GET", (req.url ?? "/").split("?")[0]!);
    if (this.deps.isUnreachable()) {
      req.socket.destroy();
      return;
    }
    try {
      const url = new URL(req.url ?? "/", "http://kube-sim");
      const path = url.pathname.replace(/\/+$/, "") || "/";
      if (path === "/healthz" || path === "/livez" || path === "/readyz") {
        res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("ok");
        return;
      }
      const actor = this.deps.access.authenticate(req);
      const user = this.deps.access.impersonate(req, actor);
      const segments = path.split("/").filter(Boolean);
      const route = parseRoute(segments);
      const accept = req.headers.accept;
      if (route && accept && !/application\/json|\*\/\*|application\/\*/.test(accept)) throw notAcceptable();
      if (!route) {
        this.deps.access.authorize(user, { verb: (req.method ?? "GET").toLowerCase(), path });
        throw pathNotFound();
      }
      if (route.kind !== "resource" && route.kind !== "review") {
        this.deps.access.authorize(user, { verb: "get", path });
        if (req.method !== "GET") throw methodNotAllowed();
        send(res, 200, this.discovery(route, req));
        return;
      }
      if (route.kind === "review") {
        await this.review(req, res, user, route.resource);
        return;
      }
      await this.resource(req, res, url, user, route);
    } catch (error) {
      sendError(res, error);
    }
  }

  private discovery(route: Exclude<Route, { kind: "resource" | "review" }>, req: IncomingMessage): unknown {
    switch (route.kind) {
      case "version":
        return versionInfo(formatTime(this.deps.startedAt));
      case "apiVersions":
        return apiVersions(req.headers.host ?? this.baseUrl.replace(/^http:\/\//, ""));
      case "groupList":
        return apiGroupList();
      case "group": {
        const doc = apiGroup(route.group);
        if (!doc) throw pathNotFound();
        return doc;
      }
      case "resourceList": {
        const doc = apiResourceList(route.group, route.version);
        if (!doc) throw pathNotFound();
        return doc;
      }
    }
  }

  private async review(req: IncomingMessage, res: ServerResponse, user: AuthenticatedUser, resource: string): Promise<void> {
    if (req.method !== "POST") throw methodNotAllowed();
    this.deps.access.authorize(user, { verb: "create", apiGroup: "authorization.k8s.io", resource });
    const body = decodeBody(await readBody(req), req.headers["content-type"]);
    if (!isPlainObject(body) || !isPlainObject(body.spec)) throw badRequest("spec is required");
    const spec = body.spec as Record<string, unknown>;
    let subject = user;
    if (resource === "subjectaccessreviews") {
      subject = { name: String(spec.user ?? ""), groups: Array.isArray(spec.groups) ? spec.groups.map(String) : [] };
    }
    let attrs: RequestAttributes;
    const ra = spec.resourceAttributes;
    const nra = spec.nonResourceAttributes;
    if (isPlainObject(ra)) {
      attrs = {
        verb: String(ra.verb ?? ""),
        apiGroup: String(ra.group ?? ""),
        resource: String(ra.resource ?? ""),
        ...(ra.subresource ? { subresource: String(ra.subresource) } : {}),
        ...(ra.namespace ? { namespace: String(ra.namespace) } : {}),
        ...(ra.name ? { name: String(ra.name) } : {}),
      };
    } else if (isPlainObject(nra)) {
      attrs = { verb: String(nra.verb ?? ""), path: String(nra.path ?? "") };
    } else throw badRequest("exactly one of nonResourceAttributes or resourceAttributes must be specified");
    const allowed = this.deps.access.allowed(subject, attrs);
    send(res, 201, {
      kind: resource === "subjectaccessreviews" ? "SubjectAccessReview" : "SelfSubjectAccessReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: { creationTimestamp: null },
      spec,
      status: allowed ? { allowed: true, reason: "RBAC: allowed by simulated RBAC rules" } : { allowed: false },
    });
  }

  private async resource(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    user: AuthenticatedUser,
    route: Extract<Route, { kind: "resource" }>,
  ): Promise<void> {
    const q = url.searchParams;
    const method = req.method ?? "GET";
    const watch = method === "GET" && (q.get("watch") === "true" || q.get("watch") === "1");
    const verb = verbFor(method, route, watch);
    const { rt, name, subresource } = route;
    const namespace = rt === NAMESPACES ? name : route.namespace;
    if (rt.namespaced && route.namespace === undefined && verb !== "list" && verb !== "watch") throw pathNotFound();
    if (verb === "create" && name !== undefined && subresource === undefined) throw methodNotAllowed();
    if ((verb === "update" || verb === "patch") && name === undefined) throw methodNotAllowed();
    if (subresource !== undefined && (verb === "list" || verb === "watch" || verb === "create" || verb === "delete")) throw methodNotAllowed();
    const attrs: RequestAttributes = {
      verb,
      apiGroup: rt.group,
      resource: rt.plural,
      ...(subresource ? { subresource } : {}),
      ...(namespace ? { namespace } : {}),
      ...(name ? { name } : {}),
    };
    const injected = this.deps.injectedFailure(user, attrs);
    if (injected) throw injected;
    this.deps.access.authorize(user, attrs);
    const { registry } = this.deps;
    const ns = rt.namespaced ? route.namespace : undefined;
    const dryRun = q.getAll("dryRun").includes("All");
    const table = wantsTable(req.headers.accept) && subresource === undefined;
    const now = this.deps.now();

    if (verb === "watch") {
      const fieldSelector = [q.get("fieldSelector"), name !== undefined ? `metadata.name=${name}` : null].filter(Boolean).join(",");
      const rv = intParam(q.get("resourceVersion"), "resourceVersion");
      this.deps.watches.open(res, {
        rt,
        ...(ns !== undefined ? { namespace: ns } : {}),
        matchLabels: labelMatcher(q.get("labelSelector")),
        matchFields: fieldMatcher(rt, fieldSelector),
        ...(rv !== undefined ? { resourceVersion: rv } : {}),
        allowBookmarks: q.get("allowWatchBookmarks") === "true",
        sendInitialEvents: q.get("sendInitialEvents") === "true",
        ...(q.get("timeoutSeconds") ? { timeoutSeconds: intParam(q.get("timeoutSeconds"), "timeoutSeconds") ?? 0 } : {}),
        ...(table ? { encode: tableRow(rt, now, q.get("includeObject")) } : {}),
      });
      return;
    }
    if (verb === "list") {
      const list = registry.list(rt, ns, {
        labelSelector: q.get("labelSelector"),
        fieldSelector: q.get("fieldSelector"),
        ...(q.get("limit") ? { limit: intParam(q.get("limit"), "limit") ?? 0 } : {}),
        continueToken: q.get("continue"),
      });
      if (table) send(res, 200, toTable(rt, list.items, now, list.metadata.resourceVersion, q.get("includeObject"), list.metadata.continue));
      else send(res, 200, list);
      return;
    }
    if (verb === "get") {
      if (subresource === "log") {
        this.podLog(res, registry.get<Pod>(PODS, ns, name ?? ""), q, now);
        return;
      }
      if (subresource === "scale") return send(res, 200, registry.getScale(rt, ns, name ?? ""));
      const object = registry.get(rt, ns, name ?? "");
      if (table) send(res, 200, toTable(rt, [object], now, object.metadata.resourceVersion, q.get("includeObject")));
      else send(res, 200, object);
      return;
    }

    const contentType = req.headers["content-type"];
    const text = await readBody(req);
    if (verb === "create") {
      this.checkObjectContentType(contentType);
      const created = registry.create(rt, ns, decodeBody(text, contentType), { dryRun });
      send(res, 201, created);
      return;
    }
    if (verb === "update") {
      this.checkObjectContentType(contentType);
      const body = decodeBody(text, contentType);
      if (subresource === "scale") return send(res, 200, registry.writeScale(rt, ns, name ?? "", body, { dryRun }));
      send(res, 200, registry.update(rt, ns, name ?? "", body, { dryRun, ...(subresource ? { subresource } : {}) }));
      return;
    }
    if (verb === "patch") {
      const body = decodeBody(text, contentType);
      if (subresource === "scale") return send(res, 200, registry.patchScale(rt, ns, name ?? "", body, contentType ?? "", { dryRun }));
      const fieldManager = q.get("fieldManager") ?? undefined;
      send(
        res,
        200,
        registry.patch(rt, ns, name ?? "", body, contentType ?? "", {
          dryRun,
          ...(subresource ? { subresource } : {}),
          ...(fieldManager ? { fieldManager } : {}),
        }),
      );
      return;
    }
    const options = decodeBody(text, contentType);
    const opts = isPlainObject(options) ? options : {};
    const grace =
      intParam(q.get("gracePeriodSeconds"), "gracePeriodSeconds") ?? (typeof opts.gracePeriodSeconds === "number" ? opts.gracePeriodSeconds : undefined);
    const propagationPolicy = q.get("propagationPolicy") ?? (typeof opts.propagationPolicy === "string" ? opts.propagationPolicy : undefined);
    const deleteOptions = {
      dryRun: dryRun || (Array.isArray(opts.dryRun) && opts.dryRun.includes("All")),
      ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
      ...(propagationPolicy ? { propagationPolicy } : {}),
      ...(isPlainObject(opts.preconditions) ? { preconditions: opts.preconditions as { uid?: string; resourceVersion?: string } } : {}),
    };
    if (verb === "delete") {
      send(res, 200, registry.delete(rt, ns, name ?? "", deleteOptions));
      return;
    }
    send(res, 200, registry.deleteCollection(rt, ns, { labelSelector: q.get("labelSelector"), fieldSelector: q.get("fieldSelector") }, deleteOptions));
  }

  /** GET pods/{name}/log: the kubelet's container log as text/plain lines, optionally followed as it grows. */
  private podLog(res: ServerResponse, pod: Pod, q: URLSearchParams, now: number): void {
    const names = pod.spec.containers.map((c) => c.name);
    const container = q.get("container") ?? (names.length === 1 ? names[0] : undefined);
    if (container === undefined) throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(" ")}]`);
    if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
    const flag = (key: string) => q.get(key) === "true" || q.get(key) === "1";
    const tail = intParam(q.get("tailLines"), "tailLines");
    const sinceSeconds = intParam(q.get("sinceSeconds"), "sinceSeconds");
    const limitBytes = intParam(q.get("limitBytes"), "limitBytes");
    const sinceTimeText = q.get("sinceTime");
    if (sinceTimeText !== null && sinceSeconds !== undefined) throw badRequest("at most one of sinceTime or sinceSeconds may be specified");
    if ((tail !== undefined && tail < 0) || (sinceSeconds !== undefined && sinceSeconds < 1) || (limitBytes !== undefined && limitBytes < 1)) {
      throw badRequest("tailLines must be 0 or more, sinceSeconds and limitBytes 1 or more");
    }
    const sinceTime = sinceTimeText !== null ? parseTime(sinceTimeText) : undefined;
    if (sinceTimeText !== null && sinceTime === undefined) throw badRequest(`sinceTime: invalid RFC 3339 time "${sinceTimeText}"`);
    const run = this.deps.kubelet.logRun(pod, container, flag("previous"));
    if (typeof run === "string") throw badRequest(run);
    const since = sinceTime ?? (sinceSeconds !== undefined ? now - sinceSeconds * 1000 : undefined);
    let lines = linesOf(run, now).filter((l) => since === undefined || l.at >= since);
    if (tail !== undefined) lines = tail === 0 ? [] : lines.slice(-tail);
    const timestamps = flag("timestamps");
    const encode = (batch: LogLine[]) => batch.map((l) => `${timestamps ? `${formatLogTimestamp(l.at)} ` : ""}${l.text}\n`).join("");
    if (!flag("follow") || run.finishedAt !== undefined) {
      let text = encode(lines);
      if (limitBytes !== undefined) text = Buffer.from(text).subarray(0, limitBytes).toString("utf8");
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end(text);
      return;
    }
    res.writeHead(200, { "Content-Type": "text/plain", "Transfer-Encoding": "chunked", "Cache-Control": "no-cache, private" });
    res.write(encode(lines));
    const stop = this.deps.kubelet.follow(
      pod,
      run,
      lines.length > 0 ? lines[lines.length - 1]!.at : (since ?? now) - 1,
      (batch) => res.write(encode(batch)),
      () => res.end(),
    );
    res.on("close", stop);
  }

  private checkObjectContentType(contentType: string | undefined): void {
    const type = (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
    if (type !== "application/json" && type !== "application/yaml" && type !== "") {
      throw unsupportedMediaType(["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]);
    }
  }
}
