import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { loadTeam } from "./load-team";
import { requirePagePrincipal } from "@/server/identity";

export const dynamic = "force-dynamic";

/**
 * A missing team is answered here, above the page's loading.tsx: once a loading skeleton streams, the status is
 * fixed at 200, so only a check before any Suspense boundary can answer a real 404.
 */
export default async function Layout({ params, children }: { params: Promise<{ name: string }>; children: ReactNode }) {
  const { name } = await params;
  await requirePagePrincipal(`/teams/${encodeURIComponent(name)}`);
  if (!(await loadTeam(name))) notFound();
  return children;
}
