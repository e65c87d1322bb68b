import type { Metadata } from "next";
import { auditFiltersFrom, auditPageSize, auditQueryString } from "@/components/audit/audit-filters";
import { AuditTrail } from "@/components/audit/audit-trail";
import { auditQuerySchema, listAuditEvents } from "@/server/audit";
import { requirePagePrincipal } from "@/server/identity";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit trail" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Reachable as a link target: `/audit?targetType=service&target=<name>` opens one service's trail,
 * `/audit?environment=production&outcome=succeeded&since=…&group=rollout` who deployed to production. The first page is
 * rendered here; filter changes and older pages come from /api/v1/audit in the browser.
 */
export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const filtersSource = await searchParams;
  const filters = auditFiltersFrom(filtersSource);
  const queryString = auditQueryString(filters);
  const params = new URLSearchParams(queryString);
  // The grouped view (each rollout's events together) is the page's own parameter, kept across sign-in.
  if (filtersSource.group === "rollout") params.set("group", "rollout");
  await requirePagePrincipal(params.size ? `/audit?${params}` : "/audit");

  const query = auditQuerySchema.safeParse({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), limit: auditPageSize });
  // An impossible filter in a hand-edited link: the browser asks again and shows the API's explanation.
  const initialPage = query.success ? await listAuditEvents(query.data) : null;

  return (
    <div className="mx-auto max-w-[1440px] px-4 py-6 md:px-6">
      <AuditTrail initialQueryString={queryString} initialPage={initialPage} />
    </div>
  );
}
