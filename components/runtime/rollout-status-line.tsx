import type { RolloutStatusView } from "@/server/cluster/contract";
import { cn } from "@/components/ui/cn";
import { stateTone } from "./format";

/** The rollout status in kubectl's own words, with a coloured state. */
export function RolloutStatusLine({ status }: { status: RolloutStatusView }) {
  const tone = stateTone[status.state];
  return (
    <p className="flex min-w-0 items-start gap-2 text-[12px]" data-state={status.state}>
      <span aria-hidden className={cn("mt-1.5 size-2 shrink-0 rounded-full", tone.dot)} />
      <span className={cn("shrink-0 font-semibold", tone.text)}>{tone.label}</span>
      <span className="min-w-0 font-mono text-[11.5px] break-words text-zinc-600 dark:text-zinc-400">{status.message}</span>
    </p>
  );
}
