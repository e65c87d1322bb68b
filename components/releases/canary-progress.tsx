import { cn } from "@/components/ui/cn";
import { CheckIcon } from "@/components/ui/icons";
import type { CanaryView } from "./types";

type StepState = "done" | "current" | "upcoming";

function stepLabel(step: CanaryView["steps"][number]): string {
  if (step.kind === "setWeight") return `${step.weight ?? "?"}%`;
  if (step.kind === "pause") return step.duration ? `Pause ${step.duration}` : "Pause for promotion";
  return "Step";
}

/**
 * An Argo canary: the traffic split between stable and canary, and the steps with the one it stands on. A pause
 * without a duration waits for a person: Slipway turns it into a promote checkpoint.
 */
export function CanaryProgress({ canary }: { canary: CanaryView }) {
  const weight = canary.weight ?? 0;
  const current = canary.currentStepIndex ?? (canary.totalSteps ? canary.totalSteps : 0);
  const done = canary.currentStepIndex === null || canary.currentStepIndex >= canary.totalSteps;
  const waiting = canary.pauseReasons.includes("CanaryPauseStep");
  return (
    <div className="space-y-3">
      <div>
        <div className="mb-1 flex items-baseline justify-between text-[12px]">
          <span className="font-medium text-zinc-700 dark:text-zinc-300">
            Traffic to canary <span className="font-mono text-indigo-700 tabular-nums dark:text-indigo-300">{weight}%</span>
          </span>
          <span className="text-zinc-500 tabular-nums dark:text-zinc-400">
            {canary.actualWeight !== weight ? `${canary.actualWeight}% of available pods · ` : ""}stable {100 - weight}%
          </span>
        </div>
        <div
          role="meter"
          aria-label="Traffic to the canary"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={weight}
          aria-valuetext={`${weight}% of traffic on the canary`}
          className="flex h-2.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
        >
          <div
            className={cn("h-full transition-[width] duration-700", canary.aborted ? "bg-red-500" : "bg-indigo-500 dark:bg-indigo-400")}
            style={{ width: `${Math.max(0, Math.min(100, weight))}%` }}
          />
        </div>
      </div>
      {canary.steps.length ? (
        <ol className="flex flex-wrap items-center gap-1.5" aria-label={`Canary steps, ${done ? "all done" : `step ${current + 1} of ${canary.totalSteps}`}`}>
          {canary.steps.map((step, i) => {
            const state: StepState = done || i < current ? "done" : i === current ? "current" : "upcoming";
            return (
              <li
                key={i}
                aria-current={state === "current" ? "step" : undefined}
                className={cn(
                  "inline-flex h-6 items-center gap-1 rounded-full px-2 text-[11px] font-medium ring-1 ring-inset",
                  state === "done" && "bg-zinc-100 text-zinc-600 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700",
                  state === "current" &&
                    (canary.aborted
                      ? "bg-red-50 text-red-700 ring-red-300 dark:bg-red-500/15 dark:text-red-300 dark:ring-red-500/40"
                      : "bg-indigo-600 text-white ring-indigo-600 dark:bg-indigo-500 dark:ring-indigo-500"),
                  state === "upcoming" && "border border-dashed border-zinc-300 text-zinc-500 ring-transparent dark:border-zinc-700 dark:text-zinc-400",
                )}
              >
                {state === "done" ? <CheckIcon size={11} /> : <span className="tabular-nums opacity-70">{i + 1}</span>}
                {stepLabel(step)}
              </li>
            );
          })}
        </ol>
      ) : null}
      {canary.aborted ? (
        <p className="text-[13px] font-medium text-red-700 dark:text-red-300">The canary was aborted: all traffic is back on the stable version.</p>
      ) : waiting && canary.steps[current]?.kind === "pause" && canary.steps[current]?.duration ? (
        <p className="text-[13px] text-zinc-600 dark:text-zinc-400">
          Paused at step {current + 1} for {canary.steps[current]!.duration}: it carries on by itself, no promotion needed.
        </p>
      ) : waiting ? (
        <p className="text-[13px] text-zinc-600 dark:text-zinc-400">
          Paused at step {current + 1}: <span className="font-medium text-amber-700 dark:text-amber-300">waiting for promotion</span>.
        </p>
      ) : canary.pauseReasons.length ? (
        <p className="text-[13px] text-zinc-600 dark:text-zinc-400">Paused: {canary.pauseReasons.join(", ")}.</p>
      ) : null}
    </div>
  );
}
