import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { stateLabel, stateTone } from "./format";
import type { RolloutState } from "./types";

const moving: RolloutState[] = ["applying", "progressing"];

/** The state of a rollout in words and colour; a moving rollout gets a pulsing dot. */
export function RolloutStateBadge({ state, className }: { state: RolloutState; className?: string }) {
  return (
    <Badge tone={stateTone[state]} className={className}>
      {moving.includes(state) ? (
        <span className="relative flex size-1.5" aria-hidden>
          <span className="absolute inline-flex size-full animate-ping rounded-full bg-current opacity-60" />
          <span className="relative inline-flex size-1.5 rounded-full bg-current" />
        </span>
      ) : null}
      {stateLabel[state]}
    </Badge>
  );
}

/** Tier 1 (business-critical) is the one filled badge, as in the catalogue. */
export function TierBadge({ tier, className }: { tier: number | null | undefined; className?: string }) {
  if (tier === null || tier === undefined) return null;
  return (
    <Badge solid={tier === 1} className={cn("tabular-nums", className)} title={tier === 1 ? "Tier 1: business-critical, customer-facing" : `Tier ${tier}`}>
      Tier {tier}
    </Badge>
  );
}

/** Production is the environment that matters most: it is marked in red wherever an environment is named. */
export function EnvironmentBadge({ environment, production, className }: { environment: string; production?: boolean; className?: string }) {
  const prod = production ?? environment === "production";
  return (
    <Badge tone={prod ? "red" : "sky"} className={cn("capitalize", className)}>
      {environment}
    </Badge>
  );
}
