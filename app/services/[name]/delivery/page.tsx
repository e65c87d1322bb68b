import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { deliveryRolloutsQuerySchema, getDeliveryRollouts } from "@/server/delivery";
import { requirePagePrincipal } from "@/server/identity";
import { hasStatus } from "@/server/shared/errors";
import { DeliveryRollouts } from "@/components/delivery/delivery-rollouts";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { name } = await params;
  return { title: `Delivery · ${name}` };
}

/** The production rollouts behind one of the service's delivery figures (`?days=30|90&figure=…&week=…`). */
export default async function Page({ params, searchParams }: Params) {
  const { name } = await params;
  const base = `/services/${encodeURIComponent(name)}`;
  await requirePagePrincipal(`${base}/delivery`);
  const query = deliveryRolloutsQuerySchema.safeParse(await searchParams);
  if (!query.success) notFound();
  const list = await getDeliveryRollouts({ kind: "service", name }, query.data).catch((error: unknown) => {
    if (hasStatus(error, 404)) notFound();
    throw error;
  });
  return (
    <div>
      <DeliveryRollouts
        figure={query.data.figure}
        items={list.items}
        since={list.since}
        until={list.until}
        backHref={`${base}?days=${query.data.days}`}
        backText="Back to the overview"
        showService={false}
      />
    </div>
  );
}
