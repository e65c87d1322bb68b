import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";

/** A hull resting on an inclined slipway, running down into the water. */
export function SlipwayMark({ size = 22, className }: { size?: number; className?: string }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden focusable="false" className={className}>
      <rect width="24" height="24" rx="6" className="fill-indigo-600 dark:fill-indigo-500" />
      <g fill="none" stroke="white" strokeLinecap="round" strokeLinejoin="round">
        <path d="M4 11.5 20 17" strokeWidth="1.4" opacity="0.65" />
        <path d="M6.2 9.1 15.6 12.3 14 15.4 7 13 Z" fill="white" strokeWidth="1.2" />
        <path d="M10.6 10.6 11.8 5.4 14.9 9.9" strokeWidth="1.3" />
        <path d="M3.5 19.2c1.4-.9 2.6-.9 4 0s2.6.9 4 0 2.6-.9 4 0 2.6.9 4 0" strokeWidth="1.4" />
      </g>
    </svg>
  );
}

export function Wordmark() {
  return (
    <Link href="/" className={cn("flex items-center gap-2 rounded-md", focusRing)} aria-label="Slipway, go to the catalogue">
      <SlipwayMark />
      <span className="hidden text-[15px] font-semibold tracking-tight text-zinc-900 sm:inline dark:text-zinc-50">Slipway</span>
    </Link>
  );
}
