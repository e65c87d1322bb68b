import { describe, expect, it } from "vitest";
import type { AuditEvent } from "@/server/audit/types";
import { auditFiltersFrom, auditQueryString } from "@/components/audit/audit-filters";
import { groupByRollout, summarizeRollout } from "@/components/audit/rollout-groups";

let seq = 100;
function event(action: string, patch: Partial<AuditEvent> = {}): AuditEvent {
  seq--;
  return {
    seq: String(seq),
    id: `e${seq}`,
    occurredAt: new Date(Date.UTC(2026, 11, 4, 9, 0, 100 - seq)).toISOString(),
    actorType: "person",
    actorId: null,
    actorName: "someone",
    action,
    targetType: "rollout",
    targetId: "r1",
    details: {},
    requestId: null,
    sourceIp: null,
    prevHash: "0",
    hash: "1",
    ...patch,
  };
}

describe("the audit page's rollout view", () => {
  it("keeps environment and outcome in the URL with the other filters", () => {
    const filters = auditFiltersFrom(new URLSearchParams("outcome=succeeded&environment=production&group=rollout&actor="));
    expect(filters).toMatchObject({ environment: "production", outcome: "succeeded", actor: "" });
    expect(auditQueryString(filters)).toBe("environment=production&outcome=succeeded");
  });

  it("gathers each rollout's events where its newest appears, and says who asked, who approved and how it ended", () => {
    // Newest first, as the page lists them.
    const what = { service: "card-api", environment: "production", version: "2.4.0" };
    const page = [
      event("rollout.succeeded", { actorName: "rollout-controller", actorType: "system", details: { ...what, after: { state: "succeeded" } } }),
      event("token.create", { targetType: "api_token", targetId: "t1" }),
      event("rollout.request", { targetId: "r2", actorName: "mei.lin", details: { service: "ledger", environment: "staging" } }),
      event("checkpoint.approve", { actorName: "james.oconnor", details: { ...what, after: { state: "approved" } } }),
      event("checkpoint.approve", { actorName: "tom.hughes", details: { ...what, after: { state: "awaiting_approval" } } }),
      event("rollout.request", { actorName: "amara.okafor", details: { ...what, state: "awaiting_approval" } }),
    ];
    const groups = groupByRollout(page);
    expect(groups.map((g) => (g.kind === "rollout" ? `${g.rolloutId}:${g.events.length}` : `other:${g.events.length}`))).toEqual(["r1:4", "other:1", "r2:1"]);
    const r1 = groups[0]!;
    expect(summarizeRollout(r1.events)).toEqual({
      service: "card-api",
      environment: "production",
      version: "2.4.0",
      requestedBy: "amara.okafor",
      approvers: ["tom.hughes", "james.oconnor"],
      outcome: "succeeded",
      at: page[0]!.occurredAt,
    });
  });
});

describe("the grouped view", () => {
  it("renders one collapsible group per rollout, summarised before its events load", async () => {
    const { createElement } = await import("react");
    const { renderToString } = await import("react-dom/server");
    const { QueryClient, QueryClientProvider } = await import("@tanstack/react-query");
    const { RolloutGroups } = await import("@/components/audit/rollout-groups");
    const what = { service: "card-api", environment: "production", version: "2.4.0" };
    const events = [
      event("rollout.succeeded", { targetId: "r9", actorType: "system", actorName: "rollout-controller", details: { ...what, after: { state: "succeeded" } } }),
      event("rollout.request", { targetId: "r9", actorName: "amara.okafor", details: what }),
    ];
    const html = renderToString(
      createElement(QueryClientProvider, { client: new QueryClient() }, createElement(RolloutGroups, { events, onFilter: () => undefined })),
    );
    expect(html).toContain("<details");
    expect(html).toMatch(/card-api.*2\.4\.0.*production/s);
    expect(html).toMatch(/requested by.*amara\.okafor/s);
    expect(html).toContain("Only this rollout");
  });
});
