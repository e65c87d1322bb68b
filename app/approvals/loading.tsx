import { Skeleton } from "@/components/ui/skeleton";

/** The inbox's shape while it loads: the heading, then a few checkpoint cards. */
export default function Loading() {
  return (
    <div className="mx-auto max-w-6xl px-4 py-6 md:px-6" aria-busy="true" aria-label="Loading approvals">
      <Skeleton className="h-6 w-32" />
      <Skeleton className="mt-2 h-4 w-[min(36rem,80vw)]" />
      <Skeleton className="mt-7 mb-3 h-4 w-36" />
      <div className="space-y-3">
        {Array.from({ length: 3 }, (_, i) => (
          <div key={i} className="grid grid-cols-1 overflow-hidden rounded-lg border border-zinc-200 md:grid-cols-[minmax(0,1fr)_22rem] dark:border-zinc-800">
            <div className="space-y-2.5 px-4 py-4">
              <Skeleton className="h-5 w-64" />
              <Skeleton className="h-4 w-48" />
              <Skeleton className="h-4 w-[min(28rem,70vw)]" />
              <Skeleton className="h-3 w-40" />
            </div>
            <div className="space-y-2 border-t border-zinc-200 px-4 py-4 md:border-t-0 md:border-l dark:border-zinc-800">
              <Skeleton className="h-14 w-full rounded-md" />
              <div className="flex justify-end gap-2">
                <Skeleton className="h-7 w-20 rounded-md" />
                <Skeleton className="h-7 w-20 rounded-md" />
              </div>
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
