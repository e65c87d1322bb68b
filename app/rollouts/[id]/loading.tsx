import { Skeleton } from "@/components/ui/skeleton";

/** The shape of a rollout page while it loads: header, timeline, status, then the two columns. */
export default function Loading() {
  return (
    <div className="mx-auto max-w-[1440px] px-4 py-5 md:px-6" aria-busy="true" aria-label="Loading the rollout">
      <Skeleton className="mb-4 h-3 w-64" />
      <div className="flex flex-wrap items-center gap-3">
        <Skeleton className="h-6 w-72" />
        <Skeleton className="h-5 w-24" />
      </div>
      <Skeleton className="mt-3 h-4 w-[min(32rem,80vw)]" />
      <Skeleton className="mt-5 h-14 w-full rounded-lg" />
      <Skeleton className="mt-4 h-16 w-full rounded-lg" />
      <div className="mt-5 grid grid-cols-1 gap-5 lg:grid-cols-[minmax(0,1fr)_22rem] xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="space-y-4">
          <Skeleton className="h-64 w-full rounded-lg" />
          <Skeleton className="h-48 w-full rounded-lg" />
        </div>
        <div className="space-y-4">
          <Skeleton className="h-56 w-full rounded-lg" />
          <Skeleton className="h-32 w-full rounded-lg" />
        </div>
      </div>
    </div>
  );
}
