import type { Tab } from "@/components/ui/tabs";
import { entityHref } from "./entity-href";

/**
 * The tabs of a service page. Each is a sub-route of the service's URL (app/services/[name]/runtime/page.tsx, ...);
 * a new tab is one more entry here. Runtime and deploys exist for components only: APIs and resources do not run.
 */
export function serviceTabs(kind: string, name: string): Tab[] {
  const base = entityHref(kind, name)!;
  const tabs: Tab[] = [{ href: base, label: "Overview" }];
  if (kind === "component") {
    tabs.push(
      { href: `${base}/runtime`, label: "Runtime" },
      { href: `${base}/deploys`, label: "Deploys" },
      { href: `${base}/metrics`, label: "Metrics" },
      { href: `${base}/logs`, label: "Logs" },
    );
  }
  // The service's own trail: its catalogue changes, releases, rollouts, approvals and operations.
  tabs.push({ href: `/audit?${new URLSearchParams({ targetType: kind === "component" ? "service" : kind, target: name })}`, label: "Audit trail" });
  return tabs;
}
