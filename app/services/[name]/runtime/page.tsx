import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadService } from "@/components/catalogue/load-service";
import { RuntimeView } from "@/components/runtime";
import { getServiceRuntime } from "@/server/cluster";
import { requirePagePrincipal } from "@/server/identity";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { name } = await params;
  return { title: `${name} · Runtime` };
}

export default async function RuntimePage({ params }: Params) {
  const { name } = await params;
  await requirePagePrincipal(`/services/${encodeURIComponent(name)}/runtime`);
  const service = await loadService("component", name);
  if (!service) notFound();
  const runtime = await getServiceRuntime(service);
  return <RuntimeView initial={runtime} streamUrl={`/api/v1/services/${encodeURIComponent(service.name)}/runtime/stream`} />;
}
