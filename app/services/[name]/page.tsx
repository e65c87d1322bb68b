import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePagePrincipal } from "@/server/identity";
import { loadService } from "@/components/catalogue/load-service";
import { loadRunningVersionsWithin } from "@/server/cluster";
import { ServiceOverview } from "@/components/catalogue/service-overview";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { name } = await params;
  return { title: name };
}

export default async function Page({ params }: Params) {
  const { name } = await params;
  await requirePagePrincipal(`/services/${encodeURIComponent(name)}`);
  const service = await loadService("component", name);
  if (!service) notFound();
  const versions = await loadRunningVersionsWithin([{ name: service.name, annotations: service.annotations }], 3_000);
  return <ServiceOverview service={service} versions={versions} />;
}
