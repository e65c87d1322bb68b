import { Client as Es8Client } from "@elastic/elasticsearch";
import { Client as OpenSearchClient } from "@opensearch-project/opensearch";
import { Client as Es9Client } from "elasticsearch9";
import type { EsSim, FluentdRecord } from "@/server/demo/es-sim";

/** Clients as Slipway would build them, without retries unless a test asks for them. */
export function es8(sim: EsSim, extra: Partial<ConstructorParameters<typeof Es8Client>[0]> = {}): Es8Client {
  return new Es8Client({ node: sim.url, maxRetries: 0, ...extra });
}

export function es9(sim: EsSim, extra: Partial<ConstructorParameters<typeof Es9Client>[0]> = {}): Es9Client {
  return new Es9Client({ node: sim.url, maxRetries: 0, ...extra });
}

export function opensearch(sim: EsSim): OpenSearchClient {
  return new OpenSearchClient({ node: sim.url, maxRetries: 0 });
}

/** The error a client call rejected with (fails the test when it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<{ name: string; statusCode?: number; body?: any; meta?: any; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; statusCode?: number; body?: any; message: string };
  }
  throw new Error("expected the call to fail");
}

export async function raw(
  sim: EsSim,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const init: RequestInit = { method, headers: { ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(`${sim.url}${path}`, init);
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** 2026-12-05 in UTC, the demo's "today". */
export const DAY = Date.UTC(2026, 11, 5);

export function record(partial: Partial<FluentdRecord> & { line: string; time: FluentdRecord["time"] }): FluentdRecord {
  return {
    namespace: "shop",
    pod: "web-7d9c6b5f4-x2k4q",
    container: "app",
    image: "registry.example.com/shop/web:1.4.2",
    labels: { app: "web", "app.kubernetes.io/name": "web", "pod-template-hash": "7d9c6b5f4" },
    stream: "stdout",
    ...partial,
  };
}
