import "server-only";
import { STATUS_CODES } from "node:http";
import { z } from "zod";
import type { MetricsAlert, Series } from "./contract";
import { measured, telemetry } from "../shared/telemetry";
import { isMetricsQueryError, MetricsQueryError } from "./metrics-errors";
import type { MetricsSource, QueryOptions, QueryRange } from "./types";

/**
 * The Prometheus HTTP API client. Queries go as POST form bodies (no URL-length limits, no `+` mangling); every
 * answer is validated with zod and mapped into Slipway's Series before it leaves this file.
 */

export type PrometheusSourceOptions = {
  /** Base URL, e.g. http://prometheus:9090 or a Mimir/Thanos prefix such as https://mimir/prometheus. */
  url: string;
  /** Names this backend in messages ("Prometheus for production"). */
  name: string;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  /** Extra headers, e.g. X-Scope-OrgID for Mimir, Cortex and Thanos tenants. */
  headers?: Record<string, string>;
  scrapeIntervalSeconds?: number;
  /** Answers larger than this are refused before parsing (protects the server from runaway annotation queries). */
  maxResponseBytes?: number;
  fetch?: typeof globalThis.fetch;
};

// A hand-written check per sample: zod's tuple with a transform cost more than JSON.parse itself on a 7-day tab.
const sample = z.custom<[number, string]>(
  (v) => Array.isArray(v) && v.length === 2 && typeof v[0] === "number" && typeof v[1] === "string",
  'a [time, "value"] pair',
);
const labels = z.record(z.string(), z.string());
const matrixResult = z.object({ resultType: z.literal("matrix"), result: z.array(z.object({ metric: labels, values: z.array(sample) })) });
const vectorResult = z.object({ resultType: z.literal("vector"), result: z.array(z.object({ metric: labels, value: sample })) });

/** Prometheus writes values as strings ("NaN" and "+Inf" included); JSON cannot carry the non-finite ones. */
function point([time, text]: [number, string]): [number, number | null] {
  const value = Number(text);
  return [Math.round(time * 1000), Number.isFinite(value) ? value : null];
}
const scalarResult = z.object({ resultType: z.enum(["scalar", "string"]), result: z.tuple([z.number(), z.string()]) });
const queryData = z.discriminatedUnion("resultType", [matrixResult, vectorResult, scalarResult]);
const alertsData = z.object({
  alerts: z.array(
    z.object({
      labels,
      annotations: labels.default({}),
      state: z.string(),
      activeAt: z.string().optional(),
      value: z.string().optional(),
    }),
  ),
});
const errorBody = z.object({ status: z.literal("error"), errorType: z.string(), error: z.string() });
const successBody = z.object({ status: z.literal("success"), data: z.unknown(), warnings: z.array(z.string()).optional() });

const NETWORK_CODES = /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/;

function networkCodeOf(error: unknown): string | null {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && typeof e === "object" && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

function secondsText(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

export class PrometheusSource implements MetricsSource {
  readonly id: string;
  readonly scrapeIntervalSeconds: number;
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly fetch: typeof globalThis.fetch;
  private readonly maxResponseBytes: number;

  constructor(private readonly options: PrometheusSourceOptions) {
    this.base = options.url.replace(/\/+$/, "");
    this.scrapeIntervalSeconds = options.scrapeIntervalSeconds ?? 15;
    this.maxResponseBytes = options.maxResponseBytes ?? 20_000_000;
    this.fetch = options.fetch ?? globalThis.fetch;
    const headers: Record<string, string> = { Accept: "application/json", ...(options.headers ?? {}) };
    if (options.bearerToken) headers.Authorization = `Bearer ${options.bearerToken}`;
    else if (options.basicAuth) {
      const { username, password } = options.basicAuth;
      headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
    }
    this.headers = headers;
    // Tenants of one Mimir share a URL: the tenant header is part of what identifies the answers.
    this.id = `${this.base}#${options.headers?.["X-Scope-OrgID"] ?? ""}`;
  }

  async queryRange(query: string, range: QueryRange, options: QueryOptions): Promise<Series[]> {
    const form = { query, start: String(range.start), end: String(range.end), step: String(range.step), timeout: secondsText(options.timeoutMs) };
    const data = queryData.safeParse(await this.call("/api/v1/query_range", form, options));
    if (!data.success) throw this.invalid("query_range", data.error.message);
    if (data.data.resultType !== "matrix") throw this.invalid("query_range", `a ${data.data.resultType} result`);
    if (options.maxSeries !== undefined && data.data.result.length > options.maxSeries) throw this.tooManySeries(data.data.result.length, options.maxSeries);
    return data.data.result.map((r) => ({ labels: r.metric, points: r.values.map(point) }));
  }

  async query(query: string, time: number, options: QueryOptions): Promise<Series[]> {
    const data = queryData.safeParse(await this.call("/api/v1/query", { query, time: String(time), timeout: secondsText(options.timeoutMs) }, options));
    if (!data.success) throw this.invalid("query", data.error.message);
    const result = data.data;
    if (result.resultType === "matrix") throw this.invalid("query", "a range vector where an instant vector was expected");
    if (result.resultType !== "vector") return [{ labels: {}, points: [point(result.result as [number, string])] }];
    if (options.maxSeries !== undefined && result.result.length > options.maxSeries) throw this.tooManySeries(result.result.length, options.maxSeries);
    return result.result.map((r) => ({ labels: r.metric, points: [point(r.value)] }));
  }

  async alerts(options: Omit<QueryOptions, "purpose" | "maxSeries">): Promise<MetricsAlert[]> {
    const data = alertsData.safeParse(await this.call("/api/v1/alerts", null, options));
    if (!data.success) throw this.invalid("alerts", data.error.message);
    return data.data.alerts
      .filter((a) => a.state === "firing" || a.state === "pending")
      .map((a) => ({
        name: a.labels.alertname ?? "(unnamed)",
        state: a.state as "firing" | "pending",
        labels: a.labels,
        annotations: a.annotations,
        activeAt: a.activeAt ?? null,
        value: a.value ?? null,
      }));
  }

  /** One API call, counted and timed for Slipway's own /metrics by source, operation and outcome. */
  private call(path: string, form: Record<string, string> | null, options: { timeoutMs: number; signal?: AbortSignal }): Promise<unknown> {
    const t = telemetry();
    const labels = { backend: "prometheus", source: this.options.name, operation: path.replace(/^\/api\/v1\//, "") };
    return measured(
      () => this.send(path, form, options),
      (outcome, seconds) => {
        t.backendRequests.inc({ ...labels, outcome });
        t.backendDuration.observe(labels, seconds);
      },
      (error) => (isMetricsQueryError(error) ? error.metricsCode : "error"),
    );
  }

  /** One API call: the `data` of a success answer, or a typed error saying what went wrong. */
  private async send(path: string, form: Record<string, string> | null, options: { timeoutMs: number; signal?: AbortSignal }): Promise<unknown> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(`${this.base}${path}`, {
        method: form ? "POST" : "GET",
        headers: form ? { ...this.headers, "Content-Type": "application/x-www-form-urlencoded" } : this.headers,
        body: form ? new URLSearchParams(form).toString() : undefined,
        signal,
      });
      text = await this.readCapped(response);
    } catch (error) {
      throw this.failure(error, options.timeoutMs, timeout.aborted, options.signal?.aborted ?? false);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      const type = response.headers.get("content-type") ?? "no content type";
      throw new MetricsQueryError(
        "invalid_response",
        `${this.options.name} answered HTTP ${response.status} with ${type}, not the Prometheus API's JSON: ${text.slice(0, 120).trim() || "(empty body)"}`,
      );
    }
    const error = errorBody.safeParse(body);
    if (error.success || !response.ok) throw this.answeredError(response.status, error.success ? error.data : null);
    const success = successBody.safeParse(body);
    if (!success.success) throw this.invalid(path, "no status field");
    return success.data.data;
  }

  private async readCapped(response: Response): Promise<string> {
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > this.maxResponseBytes) {
      await response.body?.cancel();
      throw this.tooLarge();
    }
    if (!response.body) return "";
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > this.maxResponseBytes) throw this.tooLarge();
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  private tooLarge(): MetricsQueryError {
    const mb = Math.round(this.maxResponseBytes / 1e6);
    return new MetricsQueryError("too_large", `${this.options.name}'s answer is larger than ${mb} MB: narrow the query or the range`);
  }

  private tooManySeries(count: number, max: number): MetricsQueryError {
    return new MetricsQueryError("too_large", `The query returned ${count} series, more than the ${max} a panel may draw: aggregate it (sum by ...)`, 422);
  }

  private invalid(what: string, why: string): MetricsQueryError {
    const message = `${this.options.name} answered ${what} with something that is not the Prometheus API's shape (${why.slice(0, 200)})`;
    return new MetricsQueryError("invalid_response", message);
  }

  private answeredError(status: number, body: { errorType: string; error: string } | null): MetricsQueryError {
    const reason = body?.error.slice(0, 300) ?? `HTTP ${status} ${STATUS_CODES[status] ?? ""}`.trim();
    const name = this.options.name;
    if (status === 401 || status === 403) return new MetricsQueryError("unauthorized", `${name} refused Slipway's credentials (HTTP ${status})`);
    switch (body?.errorType) {
      case "bad_data":
        return new MetricsQueryError("bad_data", `${name} rejected the query: ${reason}`, 422);
      case "execution":
        return new MetricsQueryError("execution", `${name} could not run the query: ${reason}`, 422);
      case "timeout":
        return new MetricsQueryError("timeout", `${name} gave up on the query (its own time limit): ${reason}`, 504);
      case "canceled":
        return new MetricsQueryError("timeout", `${name} cancelled the query: ${reason}`, 504);
      default:
        if (status === 429 || status === 503) return new MetricsQueryError("unavailable", `${name} is overloaded: ${reason}`, 503);
        return new MetricsQueryError("unavailable", `${name} failed: ${reason}`);
    }
  }

  private failure(error: unknown, timeoutMs: number, timedOut: boolean, cancelled: boolean): MetricsQueryError {
    if (error instanceof MetricsQueryError) return error;
    if (timedOut) return new MetricsQueryError("timeout", `${this.options.name} did not answer within ${secondsText(timeoutMs)}`, 504);
    if (cancelled) return new MetricsQueryError("timeout", `The query to ${this.options.name} was cancelled`, 504);
    const code = networkCodeOf(error);
    if (code === "ECONNREFUSED") return new MetricsQueryError("unreachable", `${this.options.name} refused the connection: is ${this.base} right and running?`);
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
      return new MetricsQueryError("unreachable", `${this.options.name}'s address ${this.base} does not resolve (${code})`);
    }
    const why = code ?? (error instanceof Error ? error.message.slice(0, 120) : String(error));
    return new MetricsQueryError("unreachable", `${this.options.name} could not be reached (${why})`);
  }
}
