"use client";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { useIsClient } from "@/components/identity/use-is-client";
import {
  activeAuditFilterCount,
  commonAuditActions,
  commonEnvironments,
  commonOutcomes,
  commonTargetTypes,
  isoToLocalInput,
  localInputToIso,
  type AuditFilters,
} from "./audit-filters";

const ranges = [
  { label: "Last hour", ms: 3_600_000 },
  { label: "24 hours", ms: 86_400_000 },
  { label: "7 days", ms: 7 * 86_400_000 },
  { label: "30 days", ms: 30 * 86_400_000 },
];

function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="mb-1 flex items-baseline justify-between gap-2 text-xs font-medium text-zinc-700 dark:text-zinc-300">
        {label}
        {hint ? <span className="truncate font-normal text-zinc-400 dark:text-zinc-500">{hint}</span> : null}
      </label>
      {children}
    </div>
  );
}

/**
 * The filter form. It edits a draft and applies it on submit, so a half-typed actor does not fire a query per key.
 * Remount it (key) when the applied filters change elsewhere, such as Back or a "show only" shortcut.
 */
export function AuditFilterBar({ applied, onApply }: { applied: AuditFilters; onApply: (filters: AuditFilters) => void }) {
  const id = useId();
  const client = useIsClient();
  const [draft, setDraft] = useState<AuditFilters>(applied);
  const [open, setOpen] = useState(false);
  const set = (patch: Partial<AuditFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const count = activeAuditFilterCount(applied);
  const dirty = JSON.stringify(draft) !== JSON.stringify(applied);

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply({
      ...draft,
      actor: draft.actor.trim(),
      action: draft.action.trim(),
      targetType: draft.targetType.trim(),
      target: draft.target.trim(),
      environment: draft.environment.trim(),
      outcome: draft.outcome.trim(),
    });
  }

  return (
    <form
      onSubmit={submit}
      role="search"
      aria-label="Filter the audit trail"
      className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/60"
    >
      <button
        type="button"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        aria-controls={`${id}-fields`}
        className="flex w-full items-center justify-between px-3 py-2.5 text-[13px] font-medium text-zinc-800 md:hidden dark:text-zinc-200"
      >
        <span>
          Filters
          {count ? (
            <span className="ml-1.5 rounded bg-indigo-100 px-1.5 py-px text-[11px] text-indigo-700 dark:bg-indigo-500/20 dark:text-indigo-300">{count}</span>
          ) : null}
        </span>
        <span className="text-xs text-zinc-500">{open ? "Hide" : "Show"}</span>
      </button>

      <div id={`${id}-fields`} className={cn("border-t border-zinc-200 p-3 md:block md:border-t-0 dark:border-zinc-800", open ? "block" : "hidden")}>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Field id={`${id}-actor`} label="Actor" hint="exact name">
            <Input
              id={`${id}-actor`}
              value={draft.actor}
              onChange={(e) => set({ actor: e.target.value })}
              placeholder="e.g. aisha.bello"
              autoComplete="off"
              spellCheck={false}
            />
          </Field>
          <Field id={`${id}-action`} label="Action" hint="end with * for a prefix">
            <Input
              id={`${id}-action`}
              value={draft.action}
              onChange={(e) => set({ action: e.target.value })}
              placeholder="e.g. token.*"
              list={`${id}-actions`}
              autoComplete="off"
              spellCheck={false}
              inputClassName="font-mono text-[13px]"
            />
            <datalist id={`${id}-actions`}>
              {commonAuditActions.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </Field>
          <Field id={`${id}-target-type`} label="Target type">
            <Input
              id={`${id}-target-type`}
              value={draft.targetType}
              onChange={(e) => set({ targetType: e.target.value })}
              placeholder="e.g. service"
              list={`${id}-target-types`}
              autoComplete="off"
              spellCheck={false}
            />
            <datalist id={`${id}-target-types`}>
              {commonTargetTypes.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </Field>
          <Field id={`${id}-target`} label="Target" hint="exact id">
            <Input
              id={`${id}-target`}
              value={draft.target}
              onChange={(e) => set({ target: e.target.value })}
              placeholder="e.g. payments-api"
              autoComplete="off"
              spellCheck={false}
              inputClassName="font-mono text-[13px]"
            />
          </Field>
          <Field id={`${id}-environment`} label="Environment">
            <Input
              id={`${id}-environment`}
              value={draft.environment}
              onChange={(e) => set({ environment: e.target.value })}
              placeholder="e.g. production"
              list={`${id}-environments`}
              autoComplete="off"
              spellCheck={false}
            />
            <datalist id={`${id}-environments`}>
              {commonEnvironments.map((e) => (
                <option key={e} value={e} />
              ))}
            </datalist>
          </Field>
          <Field id={`${id}-outcome`} label="Outcome" hint="rollout state after">
            <Input
              id={`${id}-outcome`}
              value={draft.outcome}
              onChange={(e) => set({ outcome: e.target.value })}
              placeholder="e.g. succeeded"
              list={`${id}-outcomes`}
              autoComplete="off"
              spellCheck={false}
              inputClassName="font-mono text-[13px]"
            />
            <datalist id={`${id}-outcomes`}>
              {commonOutcomes.map((o) => (
                <option key={o} value={o} />
              ))}
            </datalist>
          </Field>
          <Field id={`${id}-since`} label="Since">
            <Input
              id={`${id}-since`}
              type="datetime-local"
              value={client ? isoToLocalInput(draft.since) : ""}
              onChange={(e) => set({ since: localInputToIso(e.target.value) })}
              inputClassName="tabular-nums dark:[color-scheme:dark]"
            />
          </Field>
          <Field id={`${id}-until`} label="Until">
            <Input
              id={`${id}-until`}
              type="datetime-local"
              value={client ? isoToLocalInput(draft.until) : ""}
              onChange={(e) => set({ until: localInputToIso(e.target.value) })}
              inputClassName="tabular-nums dark:[color-scheme:dark]"
            />
          </Field>
        </div>

        <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
          <div className="flex flex-wrap items-center gap-1.5">
            <span className="text-xs text-zinc-500 dark:text-zinc-400">Quick range:</span>
            {ranges.map((range) => (
              <button
                key={range.label}
                type="button"
                className={buttonClass({ variant: "ghost", size: "sm", className: "h-6! px-1.5! text-xs!" })}
                onClick={() => {
                  const next = { ...draft, since: new Date(Date.now() - range.ms).toISOString(), until: "" };
                  setDraft(next);
                  onApply(next);
                }}
              >
                {range.label}
              </button>
            ))}
          </div>
          <div className="flex items-center gap-2">
            {dirty ? (
              <button type="button" className={buttonClass({ variant: "ghost" })} onClick={() => setDraft(applied)}>
                Reset
              </button>
            ) : null}
            <button type="submit" className={buttonClass({ variant: dirty ? "primary" : "secondary" })}>
              Apply filters
            </button>
          </div>
        </div>
      </div>
    </form>
  );
}
