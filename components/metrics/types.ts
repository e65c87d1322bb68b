import type { DeployMarker } from "@/server/releases/contract";
import type { z } from "zod";
import type { metricsViewSchema } from "@/components/api/metrics";
import type { MetricsAlert, Panel } from "@/server/metrics/contract";

/** What GET /api/v1/services/{name}/metrics answers (metricsViewSchema): the browser draws it, it never builds a query. */

export type MetricPanel = Panel & { link?: string | null };

export type { DeployMarker };

export type MetricsView = z.infer<typeof metricsViewSchema>;

export type ServiceAlert = MetricsAlert;
