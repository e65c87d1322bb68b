import { notFound } from "next/navigation";
import { deliveryRolloutsQuerySchema, getDeliveryRollouts } from "@/server/delivery";
import { requirePagePrincipal } from "@/server/identity";
import { hasStatus } from "@/server/shared/errors";
import { DeliveryRollouts } from "@/components/delivery/delivery-rollouts";

/**
 * The production rollouts behind one delivery figure of a squad or a service (`?days=30|90&figure=…&week=…`): what
 * the two pages share; each says only whose figures they are.
 */
export async function DeliveryRolloutsPage({
  kind,
  name,
  searchParams,
}: {
  kind: "team" | "service";
  name: string;
  searchParams: Record<string, string | string[] | undefined>;
}) {
  const base = `/${kind === "team" ? "teams" : "services"}/${encodeURIComponent(name)}`;
  await requirePagePrincipal(`${base}/delivery`);
  const query = deliveryRolloutsQuerySchema.safeParse(searchParams);
  if (!query.success) notFound();
  const list = await getDeliveryRollouts({ kind, name }, query.data).catch((error: unknown) => {
    if (hasStatus(error, 404)) notFound();
    throw error;
  });
  return (
    <DeliveryRollouts
      figure={query.data.figure}
      items={list.items}
      since={list.since}
      until={list.until}
      backHref={`${base}?days=${query.data.days}`}
      backText={kind === "team" ? "Back to the squad" : "Back to the overview"}
      showService={kind === "team"}
    />
  );
}
