import { Skeleton } from "@/components/ui/skeleton";

const widths = ["w-40", "w-28", "w-52", "w-36", "w-44", "w-32", "w-48", "w-24", "w-40", "w-36"];

export function ServiceTableSkeleton({ rows = 10 }: { rows?: number }) {
  return (
    <div aria-hidden className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-start gap-6 px-4 py-3">
          <div className="min-w-0 flex-1 space-y-2">
            <Skeleton className={`h-3.5 ${widths[i % widths.length]}`} />
            <Skeleton className="h-3 w-full max-w-lg" />
          </div>
          <Skeleton className="hidden h-3.5 w-20 md:block" />
          <Skeleton className="hidden h-4 w-12 md:block" />
          <Skeleton className="hidden h-3.5 w-16 md:block" />
          <div className="hidden w-52 gap-1 lg:flex">
            <Skeleton className="h-4 w-10" />
            <Skeleton className="h-4 w-12" />
            <Skeleton className="h-4 w-9" />
          </div>
        </div>
      ))}
    </div>
  );
}

function FacetSkeleton({ rows }: { rows: number }) {
  return (
    <div className="space-y-2">
      <Skeleton className="h-3 w-16" />
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center gap-2 px-1.5">
          <Skeleton className="size-3.5" />
          <Skeleton className={`h-3 ${widths[(i + 3) % widths.length]} max-w-[60%]`} />
          <Skeleton className="ml-auto h-3 w-5" />
        </div>
      ))}
    </div>
  );
}

/** The whole catalogue page while the first results load. */
export function CatalogueSkeleton() {
  return (
    <div className="mx-auto max-w-[1440px] px-4 py-6 md:px-6">
      <span className="sr-only" role="status">
        Loading the catalogue…
      </span>
      <div className="mb-5 space-y-2">
        <Skeleton className="h-6 w-36" />
        <Skeleton className="h-3.5 w-72" />
      </div>
      <div className="grid grid-cols-1 gap-8 md:grid-cols-[220px_minmax(0,1fr)] lg:grid-cols-[240px_minmax(0,1fr)]">
        <div className="hidden space-y-6 pt-14 md:block">
          <FacetSkeleton rows={6} />
          <FacetSkeleton rows={3} />
          <FacetSkeleton rows={3} />
          <FacetSkeleton rows={6} />
        </div>
        <div className="min-w-0">
          <Skeleton className="h-10 w-full rounded-md" />
          <div className="mt-4 mb-3 flex justify-between">
            <Skeleton className="h-4 w-24" />
            <Skeleton className="h-7 w-36" />
          </div>
          <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
            <ServiceTableSkeleton />
          </div>
        </div>
      </div>
    </div>
  );
}
