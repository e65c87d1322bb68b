/** What GET /api/v1/services/{name}/metrics answers: the browser draws it, it never builds a query. */

export type PanelUnit = "req/s" | "percent" | "ms" | "seconds" | "cores" | "bytes" | "count" | "ratio" | "none";

export type MetricSeries = { labels: Record<string, string>; points: Array<[number, number]> };

export type MetricPanel = {
  id: string;
  title: string;
  unit: PanelUnit | string;
  series: MetricSeries[];
  /** Why this panel could not be drawn (timeout, a bad query, no data); the other panels still draw. */
  error: string | null;
  /** "Open in Prometheus / Grafana", where the environment's source has a link configured. */
  link?: string | null;
};

export type DeployMarker = {
  rolloutId: string;
  version: string;
  kind: "deploy" | "rollback";
  state: string;
  startedAt: string;
  finishedAt: string | null;
  requestedBy: string;
  approvedBy: string[];
};

export type MetricsView = {
  service: string;
  environment: string;
  from: string;
  to: string;
  /** Seconds between points, the same for every panel. */
  step: number;
  panels: MetricPanel[];
  markers: DeployMarker[];
  errors: Array<{ message: string }>;
  source: { configured: boolean; demo: boolean; name: string | null };
};

export type ServiceAlert = { name: string; state: "firing" | "pending"; severity: string | null; summary: string | null; since: string | null; labels: Record<string, string> };
