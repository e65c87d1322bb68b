import Link from "next/link";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { ArrowRightIcon } from "@/components/ui/icons";

const tones = {
  amber: {
    box: "border-amber-300 bg-amber-50 hover:border-amber-400 dark:border-amber-500/30 dark:bg-amber-500/[0.07] dark:hover:border-amber-500/50",
    label: "text-amber-800 dark:text-amber-300",
    arrow: "text-amber-700 dark:text-amber-300",
  },
  sky: {
    box: "border-sky-200 bg-sky-50/70 hover:border-sky-300 dark:border-sky-500/30 dark:bg-sky-500/[0.07] dark:hover:border-sky-500/50",
    label: "text-sky-800 dark:text-sky-300",
    arrow: "text-sky-700 dark:text-sky-300",
  },
  red: {
    box: "border-red-200 bg-red-50 hover:border-red-300 dark:border-red-500/30 dark:bg-red-500/[0.07] dark:hover:border-red-500/50",
    label: "text-red-800 dark:text-red-300",
    arrow: "text-red-700 dark:text-red-300",
  },
} as const;

/**
 * A rollout as a notice on an environment card (waiting for a checkpoint, rolling out, failed): a tinted box that
 * links to the rollout's page, with a label, a headline and details below.
 */
export function RolloutNotice({
  rolloutId,
  tone,
  label,
  headline,
  children,
}: {
  rolloutId: string;
  tone: keyof typeof tones;
  label: ReactNode;
  headline: ReactNode;
  children?: ReactNode;
}) {
  const t = tones[tone];
  return (
    <Link href={`/rollouts/${rolloutId}`} className={cn("group block rounded-md border px-3 py-2.5 transition-colors", t.box, focusRing)}>
      <span className="flex flex-wrap items-center gap-2">
        <span className={cn("text-[11px] font-semibold tracking-wide uppercase", t.label)}>{label}</span>
        {headline}
        <ArrowRightIcon size={13} className={cn("ml-auto transition-transform group-hover:translate-x-0.5", t.arrow)} />
      </span>
      {children}
    </Link>
  );
}
