import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePagePrincipal } from "@/server/identity";
import { loadService } from "@/components/catalogue/load-service";
import { loadRunningVersionsWithin } from "@/server/cluster";
import { deliveryQuerySchema, getDeliveryFigures } from "@/server/delivery";
import { logger } from "@/server/shared/logger";
import { ServiceOverview } from "@/components/catalogue/service-overview";
import { DeliverySection, DeliveryUnavailable } from "@/components/delivery/delivery-section";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { name } = await params;
  return { title: name };
}

export default async function Page({ params, searchParams }: Params) {
  const { name } = await params;
  await requirePagePrincipal(`/services/${encodeURIComponent(name)}`);
  const service = await loadService("component", name);
  if (!service) notFound();
  // A window other than 30 or 90 days falls back to 30: the page still answers.
  const days = deliveryQuerySchema.safeParse(await searchParams).data?.days ?? 30;
  const [versions, delivery] = await Promise.all([
    loadRunningVersionsWithin([{ name: service.name, annotations: service.annotations }], 3_000),
    getDeliveryFigures({ kind: "service", name: service.name }, days).catch((error: unknown) => {
      logger().error({ err: error, service: service.name }, "delivery figures failed");
      return null;
    }),
  ]);
  const base = `/services/${encodeURIComponent(service.name)}`;
  return (
    <>
      <ServiceOverview service={service} versions={versions} />
      {delivery ? <DeliverySection className="mt-5" figures={delivery} windowHref={(d) => `${base}?days=${d}`} /> : <DeliveryUnavailable className="mt-5" />}
    </>
  );
}
