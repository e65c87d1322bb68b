import { cn } from "@/components/ui/cn";
import { SlipwayMark } from "@/components/layout/wordmark";

/** The large wordmark for full-screen pages (sign-in), using the header's mark so the brand looks the same. */
export function SlipwayWordmark({ className }: { className?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-2.5", className)}>
      <SlipwayMark size={36} />
      <span className="text-[22px] font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">Slipway</span>
    </span>
  );
}
