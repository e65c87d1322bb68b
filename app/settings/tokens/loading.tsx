import { Skeleton } from "@/components/ui/skeleton";

/** The shape of the token page while it loads, so nothing jumps when it arrives. */
export default function Loading() {
  return (
    <div className="mx-auto max-w-[1440px] px-4 py-6 md:px-6" aria-busy="true" aria-label="Loading API tokens">
      <Skeleton className="mb-3 h-3 w-28" />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="space-y-2">
          <Skeleton className="h-6 w-36" />
          <Skeleton className="h-4 w-[min(36rem,80vw)]" />
        </div>
        <Skeleton className="h-8 w-28 rounded-md" />
      </div>
      <Skeleton className="mt-7 mb-3 h-4 w-56" />
      <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
        <div className="h-9 border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900" />
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="flex items-center gap-6 border-t border-zinc-100 px-4 py-3.5 first:border-t-0 dark:border-zinc-800">
            <div className="space-y-1.5">
              <Skeleton className="h-4 w-40" />
              <Skeleton className="h-3 w-20" />
            </div>
            <Skeleton className="h-4 w-28" />
            <Skeleton className="hidden h-4 w-24 sm:block" />
            <Skeleton className="ml-auto h-5 w-14" />
          </div>
        ))}
      </div>
    </div>
  );
}
