import { Skeleton } from "@/components/ui/skeleton";

/** The Deploys tab while it loads: two environment cards, then the history table. */
export default function Loading() {
  return (
    <div className="space-y-5" aria-busy="true" aria-label="Loading deploys">
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        {[0, 1].map((i) => (
          <div key={i} className="rounded-lg border border-zinc-200 dark:border-zinc-800">
            <div className="flex gap-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
              <Skeleton className="h-4 w-24" />
              <Skeleton className="h-4 w-20" />
            </div>
            <div className="space-y-2 px-4 py-4">
              <Skeleton className="h-3 w-16" />
              <Skeleton className="h-7 w-28" />
              <Skeleton className="h-3 w-64" />
              <Skeleton className="mt-3 h-14 w-full rounded-md" />
            </div>
            <div className="flex gap-2 border-t border-zinc-200 px-4 py-3 dark:border-zinc-800">
              <Skeleton className="h-7 w-44 rounded-md" />
              <Skeleton className="h-7 w-28 rounded-md" />
            </div>
          </div>
        ))}
      </div>
      <div className="rounded-lg border border-zinc-200 dark:border-zinc-800">
        <div className="flex justify-between border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <Skeleton className="h-4 w-28" />
          <Skeleton className="h-6 w-48 rounded-md" />
        </div>
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="flex gap-6 border-t border-zinc-100 px-4 py-3 first:border-t-0 dark:border-zinc-800">
            <Skeleton className="h-4 w-14" />
            <Skeleton className="h-4 w-20" />
            <Skeleton className="h-4 w-16" />
            <Skeleton className="hidden h-4 w-28 md:block" />
            <Skeleton className="ml-auto h-5 w-20" />
          </div>
        ))}
      </div>
    </div>
  );
}
