import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { ApiIcon, ComponentIcon, ResourceIcon } from "@/components/ui/icons";

/** Tier 1 is business-critical: it is the one badge that is filled, so it stands out in a dense list. */
export function TierBadge({ tier, className }: { tier: number | null | undefined; className?: string }) {
  if (tier === null || tier === undefined) return null;
  return (
    <Badge solid={tier === 1} className={cn("tabular-nums", className)} title={tierHint(tier)}>
      Tier {tier}
    </Badge>
  );
}

function tierHint(tier: number) {
  if (tier === 1) return "Tier 1: business-critical, customer-facing";
  if (tier === 2) return "Tier 2: important, degraded service is tolerable for a short time";
  return `Tier ${tier}`;
}

const lifecycleTones: Record<string, "amber" | "violet" | "green" | "neutral"> = {
  experimental: "violet",
  deprecated: "amber",
  production: "green",
};

/** Production is the norm and stays quiet unless asked (`showProduction`); experimental and deprecated are coloured. */
export function LifecycleBadge({ lifecycle, showProduction = false }: { lifecycle: string | null | undefined; showProduction?: boolean }) {
  if (!lifecycle) return null;
  if (lifecycle === "production" && !showProduction) {
    return <span className="text-xs text-zinc-500 dark:text-zinc-400">production</span>;
  }
  return <Badge tone={lifecycleTones[lifecycle] ?? "neutral"}>{lifecycle}</Badge>;
}

export function KindIcon({ kind, size = 14, className }: { kind: string; size?: number; className?: string }) {
  const Icon = kind === "api" ? ApiIcon : kind === "resource" ? ResourceIcon : ComponentIcon;
  return <Icon size={size} className={className} />;
}

export function TagList({ tags, max, className }: { tags: string[]; max?: number; className?: string }) {
  if (!tags.length) return null;
  const shown = max === undefined ? tags : tags.slice(0, max);
  const hidden = tags.length - shown.length;
  return (
    <ul className={cn("flex flex-wrap gap-1", className)} aria-label="Tags">
      {shown.map((tag) => (
        <li key={tag} className="rounded bg-zinc-100 px-1.5 py-px text-[11px] leading-4 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400">
          {tag}
        </li>
      ))}
      {hidden > 0 ? (
        <li className="px-0.5 text-[11px] leading-4 text-zinc-400 dark:text-zinc-500" title={tags.slice(shown.length).join(", ")}>
          +{hidden}
        </li>
      ) : null}
    </ul>
  );
}
