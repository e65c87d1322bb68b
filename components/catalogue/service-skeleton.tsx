import { Skeleton } from "@/components/ui/skeleton";

/** A service, API or resource page while it loads. */
export function ServiceSkeleton() {
  return (
    <div className="mx-auto max-w-[1440px] px-4 py-5 md:px-6">
      <span className="sr-only" role="status">
        Loading…
      </span>
      <Skeleton className="mb-4 h-3 w-48" />
      <div className="flex items-center gap-3">
        <Skeleton className="size-8 rounded-md" />
        <Skeleton className="h-6 w-52" />
        <Skeleton className="h-4 w-12" />
      </div>
      <Skeleton className="mt-3 h-4 w-96 max-w-full" />
      <Skeleton className="mt-2 h-3.5 w-[36rem] max-w-full" />
      <div className="mt-6 border-b border-zinc-200 pb-2 dark:border-zinc-800">
        <Skeleton className="h-4 w-16" />
      </div>
      <div className="mt-5 grid grid-cols-1 gap-5 lg:grid-cols-[minmax(0,1fr)_320px]">
        <div className="space-y-5">
          <Skeleton className="hidden h-72 rounded-lg xl:block" />
          <div className="grid grid-cols-1 gap-5 md:grid-cols-2">
            <Skeleton className="h-40 rounded-lg" />
            <Skeleton className="h-40 rounded-lg" />
          </div>
        </div>
        <div className="space-y-5 max-lg:order-first">
          <Skeleton className="h-36 rounded-lg" />
          <Skeleton className="h-32 rounded-lg" />
        </div>
      </div>
    </div>
  );
}
