import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { loadService } from "@/components/catalogue/load-service";
import { LogsTab } from "@/components/logs/logs-tab";
import { requirePagePrincipal } from "@/server/identity";
import { environmentPolicies } from "@/server/releases";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { name } = await params;
  return { title: `${name} · Logs` };
}

export default async function LogsPage({ params }: Params) {
  const { name } = await params;
  await requirePagePrincipal(`/services/${encodeURIComponent(name)}/logs`);
  const service = await loadService("component", name);
  if (!service) notFound();
  const environments = environmentPolicies().map((e) => ({ name: e.name, title: e.title, production: e.production }));
  return (
    <Suspense>
      <LogsTab service={service.name} environments={environments} />
    </Suspense>
  );
}
