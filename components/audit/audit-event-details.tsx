import type { AuditEvent } from "@/server/audit/contract";
import { CopyTextButton } from "@/components/identity/ui/copy-button";

function Json({ title, value, tone }: { title: string; value: unknown; tone?: "before" | "after" }) {
  const text = JSON.stringify(value, null, 2);
  return (
    <div className="min-w-0">
      <div className="mb-1 flex items-center justify-between gap-2">
        <h4 className="flex items-center gap-1.5 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
          {tone ? <span aria-hidden className={tone === "before" ? "size-1.5 rounded-full bg-red-400" : "size-1.5 rounded-full bg-emerald-500"} /> : null}
          {title}
        </h4>
        <CopyTextButton iconOnly text={text} label={`Copy ${title.toLowerCase()} as JSON`} />
      </div>
      <pre className="max-h-80 overflow-auto rounded-md border border-zinc-200 bg-white px-3 py-2 font-mono text-xs leading-relaxed text-zinc-800 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-200">
        {text}
      </pre>
    </div>
  );
}

function Fact({ label, value, mono = true }: { label: string; value: string | null; mono?: boolean }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11px] text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd
        className={mono ? "truncate font-mono text-xs text-zinc-800 dark:text-zinc-200" : "text-xs text-zinc-800 dark:text-zinc-200"}
        title={value ?? undefined}
      >
        {value ?? "—"}
      </dd>
    </div>
  );
}

/** What an event changed (before/after), anything else it recorded, and the facts that chain it to the trail. */
export function AuditEventDetails({ event }: { event: AuditEvent }) {
  const { before, after, ...rest } = event.details as { before?: unknown; after?: unknown } & Record<string, unknown>;
  const hasRest = Object.keys(rest).length > 0;
  const nothing = before === undefined && after === undefined && !hasRest;
  return (
    <div className="space-y-4">
      {before !== undefined || after !== undefined ? (
        <div className={before !== undefined && after !== undefined ? "grid gap-3 lg:grid-cols-2" : "grid gap-3"}>
          {before !== undefined ? <Json title="Before" value={before} tone="before" /> : null}
          {after !== undefined ? <Json title="After" value={after} tone="after" /> : null}
        </div>
      ) : null}
      {hasRest ? <Json title={before !== undefined || after !== undefined ? "Other details" : "Details"} value={rest} /> : null}
      {nothing ? <p className="text-xs text-zinc-500 dark:text-zinc-400">This event recorded no details.</p> : null}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 border-t border-zinc-200 pt-3 sm:grid-cols-3 lg:grid-cols-6 dark:border-zinc-800">
        <Fact label="Event" value={`#${event.seq}`} />
        <Fact label="Event id" value={event.id} />
        <Fact label="Request id" value={event.requestId} />
        <Fact label="Actor id" value={event.actorId} />
        <Fact label="Hash" value={event.hash} />
        <Fact label="Previous hash" value={event.prevHash} />
      </dl>
    </div>
  );
}
