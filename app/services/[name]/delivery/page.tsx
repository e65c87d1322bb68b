import type { Metadata } from "next";
import { DeliveryRolloutsPage } from "@/app/_delivery/delivery-rollouts-page";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { name } = await params;
  return { title: `Delivery · ${name}` };
}

/** The production rollouts behind one of the service's delivery figures. */
export default async function Page({ params, searchParams }: Params) {
  const { name } = await params;
  return (
    <div>
      <DeliveryRolloutsPage kind="service" name={name} searchParams={await searchParams} />
    </div>
  );
}
