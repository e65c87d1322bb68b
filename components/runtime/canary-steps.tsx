import type { CanaryView } from "@/server/cluster/contract";
import { cn } from "@/components/ui/cn";

function stepLabel(step: CanaryView["steps"][number]): string {
  if (step.kind === "setWeight") return `${step.weight ?? "?"}%`;
  if (step.kind === "pause") return step.duration ? `pause ${step.duration}` : "pause until promoted";
  return "step";
}

/** An Argo canary: its steps with the current one marked, and the weight the canary has reached. */
export function CanarySteps({ canary }: { canary: CanaryView }) {
  const current = canary.currentStepIndex ?? canary.totalSteps;
  const weight = canary.weight ?? 0;
  return (
    <div className="space-y-2 rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800">
      <div className="flex items-baseline justify-between gap-3 text-[12px]">
        <span className="font-medium text-zinc-700 dark:text-zinc-300">
          Canary weight <span className="font-mono text-indigo-700 tabular-nums dark:text-indigo-300">{weight}%</span>
          {canary.aborted ? <span className="ml-2 font-semibold text-red-700 dark:text-red-300">aborted</span> : null}
        </span>
        <span className="text-[11px] text-zinc-500 tabular-nums dark:text-zinc-400">
          {canary.actualWeight}% of available pods on the canary
          {canary.totalSteps ? ` · step ${Math.min(current, canary.totalSteps)}/${canary.totalSteps}` : ""}
        </span>
      </div>
      <div
        role="meter"
        aria-label="Canary weight"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={weight}
        className="h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <div className={cn("h-full transition-[width] duration-700", canary.aborted ? "bg-red-500" : "bg-indigo-500")} style={{ width: `${weight}%` }} />
      </div>
      {canary.steps.length ? (
        <ol className="flex flex-wrap gap-1.5" aria-label="Canary steps">
          {canary.steps.map((step, i) => {
            const state = i < current ? "done" : i === current ? "current" : "upcoming";
            return (
              <li
                key={i}
                aria-current={state === "current" ? "step" : undefined}
                className={cn(
                  "rounded-full px-2 py-0.5 font-mono text-[11px] ring-1 ring-inset",
                  state === "done" && "bg-zinc-100 text-zinc-500 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-400 dark:ring-zinc-700",
                  state === "current" &&
                    "bg-amber-50 font-semibold text-amber-800 ring-amber-300 dark:bg-amber-500/15 dark:text-amber-200 dark:ring-amber-500/40",
                  state === "upcoming" && "text-zinc-500 ring-zinc-200 dark:text-zinc-400 dark:ring-zinc-700",
                )}
              >
                {i + 1}. {stepLabel(step)}
              </li>
            );
          })}
        </ol>
      ) : null}
      {canary.pauseReasons.length ? <p className="text-[11px] text-amber-700 dark:text-amber-300">Paused: {canary.pauseReasons.join(", ")}</p> : null}
    </div>
  );
}
