import type { ReactNode } from "react";
import type { SlackBlock, SlackMessageView } from "@/server/notifications/contract";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Time } from "@/components/ui/time";

/** Slack's mrkdwn, the part Slipway writes: *bold*, <url|label> links, <@U…> mentions, and its three escapes. */
function Mrkdwn({ text }: { text: string }): ReactNode {
  const parts: ReactNode[] = [];
  const pattern = /<([^>|]+)(?:\|([^>]+))?>|\*([^*\n]+)\*/g;
  let last = 0;
  let key = 0;
  const plain = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push(plain(text.slice(last, match.index)));
    const [, target, label, bold] = match;
    if (bold !== undefined) parts.push(<strong key={key++}>{plain(bold)}</strong>);
    else if (target?.startsWith("@"))
      parts.push(<span key={key++} className="rounded bg-sky-100 px-0.5 text-sky-800 dark:bg-sky-500/20 dark:text-sky-200">{`@${target.slice(1)}`}</span>);
    else if (target && /^https?:\/\//.test(target))
      parts.push(
        <a key={key++} href={target} className="text-sky-700 underline dark:text-sky-300">
          {plain(label ?? target)}
        </a>,
      );
    else parts.push(plain(match[0]));
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(plain(text.slice(last)));
  return <span className="whitespace-pre-line">{parts}</span>;
}

function Block({ block }: { block: SlackBlock }) {
  switch (block.type) {
    case "header":
      return <h3 className="text-[15px] font-bold text-zinc-900 dark:text-zinc-50">{block.text.text}</h3>;
    case "section":
      return (
        <div className="text-sm text-zinc-800 dark:text-zinc-200">
          {block.text ? <Mrkdwn text={block.text.text} /> : null}
          {block.fields?.length ? (
            <div className="mt-1 grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-2">
              {block.fields.map((f, i) => (
                <div key={i}>
                  <Mrkdwn text={f.text} />
                </div>
              ))}
            </div>
          ) : null}
        </div>
      );
    case "context":
      return (
        <p className="text-[13px] text-zinc-600 dark:text-zinc-400">
          {block.elements.map((e, i) => (
            <Mrkdwn key={i} text={e.text} />
          ))}
        </p>
      );
    case "divider":
      return <hr className="border-zinc-200 dark:border-zinc-800" />;
    case "actions":
      return (
        <div className="flex flex-wrap gap-2">
          {block.elements.map((b) => (
            <a key={b.action_id} href={b.url} className={buttonClass({ variant: b.style === "primary" ? "primary" : "secondary", size: "sm" })}>
              {b.text.text}
            </a>
          ))}
        </div>
      );
  }
}

/** A Block Kit message as Slack would show it in the channel. */
export function SlackMessage({ view, highlight }: { view: SlackMessageView; highlight: boolean }) {
  return (
    <article
      aria-label={view.message.text}
      className={`rounded-lg border p-4 ${highlight ? "border-indigo-300 bg-indigo-50/40 dark:border-indigo-500/40 dark:bg-indigo-500/5" : "border-zinc-200 dark:border-zinc-800"}`}
    >
      <header className="mb-2 flex flex-wrap items-center gap-2 text-[12px] text-zinc-500 dark:text-zinc-400">
        <span className="font-semibold text-zinc-700 dark:text-zinc-200">{view.channel ?? view.target}</span>
        <span>Slipway (app)</span>
        <Time iso={view.createdAt} />
        {view.state !== "delivered" ? <Badge tone={view.state === "failed" ? "red" : "amber"}>{view.state}</Badge> : null}
        {highlight ? <Badge tone="indigo">mentions you</Badge> : null}
      </header>
      <div className="flex flex-col gap-3">
        {view.message.blocks.map((block, i) => (
          <Block key={i} block={block} />
        ))}
      </div>
    </article>
  );
}
