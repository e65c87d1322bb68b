import { slipway } from "@/server/composition";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { requirePagePrincipal } from "@/server/identity";
import { getRollout } from "@/server/releases";
import { hasStatus } from "@/server/shared/errors";

export const dynamic = "force-dynamic";

/**
 * A missing rollout is answered here, above the page's loading.tsx: once a loading skeleton streams, the status is
 * fixed at 200, so only a check before any Suspense boundary can answer a real 404.
 */
export default async function Layout({ params, children }: { params: Promise<{ id: string }>; children: ReactNode }) {
  const { id } = await params;
  await requirePagePrincipal(`/rollouts/${id}`);
  try {
    await getRollout(slipway().db, id);
  } catch (error) {
    if (hasStatus(error, 404)) notFound();
    throw error;
  }
  return children;
}
