"use client";
import { useEffect, useState } from "react";
import type { CreatedApiToken } from "./new-api-token-form";
import { Time } from "@/components/ui/time";
import { useIsClient } from "./use-is-client";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { AlertIcon, CheckCircleIcon, TerminalIcon } from "@/components/ui/icons";
import { CopyTextButton } from "./ui/copy-button";

/** The one and only sight of a new token's secret: Slipway keeps a hash, never the token. */
export function ApiTokenSecret({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  const client = useIsClient();
  const [copied, setCopied] = useState(false);
  const origin = client ? window.location.origin : "";
  const curl = `curl -H "Authorization: Bearer ${created.token}" ${origin}/api/v1/services`;

  // Leaving the page before copying loses the token for good: let the browser ask first.
  useEffect(() => {
    if (copied) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [copied]);

  return (
    <section
      aria-labelledby="new-token-title"
      className="overflow-hidden rounded-lg border border-emerald-300 bg-white shadow-xs dark:border-emerald-500/40 dark:bg-zinc-900/60"
    >
      <div className="flex items-start gap-3 border-b border-emerald-200 bg-emerald-50 px-4 py-3 sm:px-5 dark:border-emerald-500/20 dark:bg-emerald-500/10">
        <CheckCircleIcon size={18} className="mt-px shrink-0 text-emerald-600 dark:text-emerald-400" />
        <div className="min-w-0">
          <h2 id="new-token-title" className="text-[15px] font-semibold text-zinc-900 dark:text-zinc-50">
            Token “{created.name}” created
          </h2>
          <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-[13px] text-zinc-600 dark:text-zinc-300">
            <span>Owned by {created.owner}</span>
            <span aria-hidden="true">·</span>
            <span>
              expires <Time iso={created.expiresAt} format="date" />
            </span>
            <span aria-hidden="true">·</span>
            {created.scopes.map((s) => (
              <Badge key={s} tone={s === "read" ? "neutral" : "indigo"} className="font-mono">
                {s}
              </Badge>
            ))}
          </p>
        </div>
      </div>

      <div className="space-y-4 px-4 py-4 sm:px-5">
        <p className="flex items-start gap-2 text-[13px] font-medium text-amber-800 dark:text-amber-300">
          <AlertIcon size={16} className="mt-0.5 shrink-0" />
          Copy it now: it will not be shown again. Slipway stores only a hash of it, so a lost token must be revoked and replaced.
        </p>

        <div className="flex flex-col gap-2 sm:flex-row sm:items-stretch">
          <code
            data-testid="new-token-secret"
            className="min-w-0 flex-1 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-1.5 font-mono text-[13px] leading-5 break-all text-zinc-900 select-all dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
          >
            {created.token}
          </code>
          <CopyTextButton text={created.token} label="Copy token" variant="primary" className="sm:h-auto" onCopied={() => setCopied(true)} />
        </div>

        <div>
          <div className="flex items-center justify-between gap-2">
            <p className="flex items-center gap-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
              <TerminalIcon size={14} />
              Try it
            </p>
            <CopyTextButton text={curl} label="Copy command" variant="ghost" size="sm" onCopied={() => setCopied(true)} />
          </div>
          <pre className="mt-1.5 overflow-x-auto rounded-md bg-zinc-900 px-3 py-2.5 font-mono text-xs leading-relaxed text-zinc-100 dark:bg-black/50 dark:ring-1 dark:ring-zinc-800">
            <code>
              <span className="text-zinc-500 select-none">$ </span>
              {curl}
            </code>
          </pre>
        </div>
      </div>

      <div className="flex flex-col-reverse items-stretch gap-2 border-t border-zinc-200 bg-zinc-50 px-4 py-3 sm:flex-row sm:items-center sm:justify-between sm:px-5 dark:border-zinc-800 dark:bg-zinc-950/40">
        <p className="text-xs text-zinc-500 dark:text-zinc-400">{copied ? "Copied. Store it in your CI secret store." : "Not copied yet."}</p>
        <button type="button" onClick={onDone} className={buttonClass({ variant: copied ? "primary" : "secondary" })}>
          {copied ? "Done" : "I have stored it, hide it"}
        </button>
      </div>
    </section>
  );
}
