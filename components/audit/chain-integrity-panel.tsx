"use client";
import { useQuery } from "@tanstack/react-query";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { problemMessage, retryUnlessClientError } from "@/components/api/client";
import { Time } from "@/components/ui/time";
import { RefreshIcon, ShieldAlertIcon, ShieldCheckIcon } from "@/components/ui/icons";
import { Spinner } from "@/components/identity/ui/spinner";
import { fetchAuditVerification } from "@/components/api/audit";

const shortHash = (hash: string) => `${hash.slice(0, 10)}…${hash.slice(-6)}`;

/**
 * Recomputes the whole hash chain on the server and says whether it holds. It covers every event ever recorded,
 * whatever the filters below show.
 */
export function ChainIntegrityPanel() {
  const verification = useQuery({
    queryKey: ["audit", "verify"],
    queryFn: ({ signal }) => fetchAuditVerification(signal),
    staleTime: 60_000,
    retry: retryUnlessClientError,
  });
  const result = verification.data;
  const tone = verification.isError ? "warning" : !result || verification.isFetching ? "pending" : result.ok ? "ok" : "broken";

  const again = (
    <button
      type="button"
      onClick={() => void verification.refetch()}
      disabled={verification.isFetching}
      className={buttonClass({ size: "sm", className: "bg-white/70 dark:bg-zinc-900/70" })}
    >
      {verification.isFetching ? <Spinner size={14} /> : <RefreshIcon size={14} />}
      {verification.isFetching ? "Verifying…" : "Verify again"}
    </button>
  );

  return (
    <section
      aria-labelledby="chain-integrity-title"
      aria-live="polite"
      aria-busy={verification.isFetching}
      className={cn(
        "flex flex-wrap items-center gap-x-4 gap-y-3 rounded-lg border px-4 py-3",
        tone === "ok" && "border-emerald-200 bg-emerald-50 dark:border-emerald-500/30 dark:bg-emerald-500/10",
        tone === "broken" && "border-red-300 bg-red-50 dark:border-red-500/40 dark:bg-red-500/10",
        tone === "warning" && "border-amber-200 bg-amber-50 dark:border-amber-500/30 dark:bg-amber-500/10",
        tone === "pending" && "border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/60",
      )}
    >
      <span
        className={cn(
          "flex size-9 shrink-0 items-center justify-center rounded-full",
          tone === "ok" && "bg-emerald-100 text-emerald-700 dark:bg-emerald-500/20 dark:text-emerald-300",
          tone === "broken" && "bg-red-100 text-red-700 dark:bg-red-500/20 dark:text-red-300",
          tone === "warning" && "bg-amber-100 text-amber-700 dark:bg-amber-500/20 dark:text-amber-300",
          tone === "pending" && "bg-zinc-200/70 text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400",
        )}
      >
        {tone === "pending" ? <Spinner size={18} /> : tone === "ok" ? <ShieldCheckIcon size={20} /> : <ShieldAlertIcon size={20} />}
      </span>

      <div className="min-w-0 flex-1 basis-64">
        {tone === "pending" ? (
          <>
            <h2 id="chain-integrity-title" className="text-[13px] font-semibold text-zinc-800 dark:text-zinc-200">
              Verifying the hash chain…
            </h2>
            <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">Recomputing every event&apos;s hash from the first one.</p>
          </>
        ) : tone === "warning" ? (
          <>
            <h2 id="chain-integrity-title" className="text-[13px] font-semibold text-amber-900 dark:text-amber-200">
              The chain could not be verified
            </h2>
            <p className="mt-0.5 text-xs text-amber-800 dark:text-amber-300/90">{problemMessage(verification.error)}</p>
          </>
        ) : result?.ok ? (
          <>
            <h2 id="chain-integrity-title" className="text-[13px] font-semibold text-emerald-900 dark:text-emerald-200">
              Chain intact: {result.events.toLocaleString("en-GB")} {result.events === 1 ? "event" : "events"} verified
            </h2>
            <p className="mt-0.5 text-xs text-emerald-800/90 dark:text-emerald-300/80">
              Every event matches its hash and links to the one before it, so none was altered, removed or inserted.
              {result.lastHash ? (
                <>
                  {" "}
                  Last hash{" "}
                  <code className="font-mono" title={result.lastHash}>
                    {shortHash(result.lastHash)}
                  </code>
                </>
              ) : null}
              {verification.dataUpdatedAt ? (
                <>
                  {" · checked "}
                  <Time iso={new Date(verification.dataUpdatedAt).toISOString()} />
                </>
              ) : null}
            </p>
          </>
        ) : result ? (
          <>
            <h2 id="chain-integrity-title" className="text-[13px] font-semibold text-red-900 dark:text-red-200">
              Chain broken at event #{result.brokenAt.seq}: {result.reason}
            </h2>
            <p className="mt-0.5 text-xs text-red-800 dark:text-red-300/90">
              The {result.events.toLocaleString("en-GB")} events before it verified.
              {result.brokenAt.id ? (
                <>
                  {" "}
                  Event id <code className="font-mono">{result.brokenAt.id}</code>.
                </>
              ) : null}{" "}
              Export the trail now and raise it with security: the store may have been tampered with.
            </p>
          </>
        ) : null}
      </div>
      <div className="shrink-0">{again}</div>
    </section>
  );
}
