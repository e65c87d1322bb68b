import type { DeployMarker } from "@/server/releases";
import type { MetricsAlert, Panel, PanelError } from "@/server/metrics/contract";

/** What GET /api/v1/services/{name}/metrics answers: the browser draws it, it never builds a query. */

export type MetricPanel = Panel & { link?: string | null };

export type { DeployMarker };

export type MetricsView = {
  service: string;
  environment: string;
  /** The aligned range queried, epoch milliseconds. */
  from: number;
  to: number;
  /** Seconds between points, the same for every panel. */
  step: number;
  panels: MetricPanel[];
  markers: DeployMarker[];
  errors: PanelError[];
  source: { configured: boolean; demo: boolean };
};

export type ServiceAlert = MetricsAlert;
