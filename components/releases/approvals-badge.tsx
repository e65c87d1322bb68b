"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { ShieldCheckIcon } from "@/components/ui/icons";
import { releasesApi } from "@/components/api/releases";

/** The react-query key of "how many checkpoints wait for me": a decision anywhere invalidates it. */
export const approvalsCountKey = ["releases", "approvals-count"] as const;

/**
 * "Approvals" in the header with the number of checkpoints the signed-in person may decide. The server renders
 * the first count; the badge asks again every 30 s (a count may be polled; rollout progress is streamed).
 */
export function ApprovalsBadge({ initialCount, className }: { initialCount: number; className?: string }) {
  const pathname = usePathname();
  const { data: count = initialCount } = useQuery({
    queryKey: approvalsCountKey,
    queryFn: async ({ signal }) => (await releasesApi.myCheckpoints(signal)).count,
    initialData: initialCount,
    refetchInterval: 30_000,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
    staleTime: 25_000,
    // A failed refresh keeps the last count: the header should never flash an error.
    retry: false,
  });
  const active = pathname === "/approvals" || pathname.startsWith("/approvals/");
  const label = count === 0 ? "Approvals, none waiting for you" : `Approvals, ${count} waiting for you`;
  return (
    <Link
      href="/approvals"
      aria-current={active ? "page" : undefined}
      title={label.replace("Approvals, ", "")}
      className={cn(
        "flex h-8 items-center gap-1.5 rounded-md px-2.5 text-[13px] font-medium transition-colors",
        focusRing,
        active
          ? "bg-zinc-100 text-zinc-900 dark:bg-zinc-800/80 dark:text-zinc-50"
          : "text-zinc-500 hover:bg-zinc-50 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-900 dark:hover:text-zinc-100",
        className,
      )}
    >
      <ShieldCheckIcon size={15} className="sm:hidden" />
      {/* Named by its text (no aria-label), so the name holds what is shown: "Approvals, 1 waiting for you". */}
      <span className="max-sm:sr-only">Approvals</span>
      {count > 0 ? <span className="sr-only">, </span> : null}
      {count > 0 ? (
        <span className="inline-flex h-[18px] min-w-[18px] items-center justify-center rounded-full bg-amber-500 px-1 text-[11px] leading-none font-semibold text-white tabular-nums dark:bg-amber-400 dark:text-zinc-950">
          {count > 99 ? "99+" : count}
        </span>
      ) : null}
      <span className="sr-only">{count === 0 ? ", none waiting for you" : " waiting for you"}</span>
    </Link>
  );
}
