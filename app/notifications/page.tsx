import { slipway } from "@/server/composition";
import type { Metadata } from "next";
import Link from "next/link";
import { DeliveryLog } from "@/components/notifications/delivery-log";
import { EmptyState } from "@/components/ui/empty-state";
import { decide, requirePagePrincipal } from "@/server/identity";
import { listDeliveries } from "@/server/notifications";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Notification deliveries" };

export default async function NotificationsPage() {
  const principal = await requirePagePrincipal("/notifications");
  const verdict = decide(principal, { action: "admin" });
  if (!verdict.allowed) {
    return (
      <div className="mx-auto max-w-[1440px] px-4 py-6 md:px-6">
        <EmptyState
          title="The delivery log is for admins"
          description={
            <>
              {verdict.reason} What chat received is on <Link href="/notifications/slack">the Slack view</Link>.
            </>
          }
        />
      </div>
    );
  }
  const { deliveries, counts } = await listDeliveries(slipway().db, principal, { limit: 100 });
  return (
    <div className="mx-auto flex max-w-[1440px] flex-col gap-4 px-4 py-6 md:px-6">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h1 className="text-lg font-semibold text-zinc-900 dark:text-zinc-50">Notification deliveries</h1>
          <p className="text-[13px] text-zinc-600 dark:text-zinc-400">
            {counts.delivered} delivered · {counts.pending} pending · {counts.failed} failed. A failing receiver never holds up a rollout.{" "}
            <Link href="/notifications/slack" className="underline">
              What Slack received
            </Link>
          </p>
        </div>
      </header>
      {deliveries.length ? (
        <DeliveryLog deliveries={deliveries} />
      ) : (
        <EmptyState title="Nothing sent yet" description="Checkpoints, rollouts and freezes are sent to the targets in the config's notifications section." />
      )}
    </div>
  );
}
