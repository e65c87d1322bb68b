import type { Metadata } from "next";
import { DeliveryRolloutsPage } from "@/app/_delivery/delivery-rollouts-page";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { name } = await params;
  return { title: `Delivery · ${name}` };
}

/** The production rollouts behind one of the team's delivery figures. */
export default async function Page({ params, searchParams }: Params) {
  const { name } = await params;
  return (
    <div className="mx-auto max-w-[1440px] px-4 py-5 md:px-6">
      <DeliveryRolloutsPage kind="team" name={name} searchParams={await searchParams} />
    </div>
  );
}
