import { slipway } from "@/server/composition";
import type { Metadata } from "next";
import { SlackMessage } from "@/components/notifications/slack-message";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePagePrincipal } from "@/server/identity";
import { listSlackMessages } from "@/server/notifications";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "What Slack received" };

/**
 * The Block Kit messages Slipway sent to Slack, rendered as a channel shows them. On the embedded default they went to
 * a loopback Slack, so the flow can be followed without a workspace; messages that mention you are marked.
 */
export default async function SlackMessagesPage() {
  const principal = await requirePagePrincipal("/notifications/slack");
  const messages = await listSlackMessages(slipway().db, principal, 50);
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4 px-4 py-6 md:px-6">
      <header>
        <h1 className="text-lg font-semibold text-zinc-900 dark:text-zinc-50">What Slack received</h1>
        <p className="text-[13px] text-zinc-600 dark:text-zinc-400">Checkpoint, rollout and freeze messages posted to squads&apos; channels, newest first.</p>
      </header>
      {messages.length ? (
        messages.map((m) => <SlackMessage key={m.id} view={m} highlight={m.mentions.includes(principal.person.name)} />)
      ) : (
        <EmptyState title="No Slack messages yet" description="Request a production rollout: its checkpoint is posted to the owning squad's channel." />
      )}
    </div>
  );
}
