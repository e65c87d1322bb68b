import { cn } from "@/components/ui/cn";
import { CogIcon, KeyIcon, PersonIcon } from "@/components/ui/icons";

const kinds: Record<string, { label: string; Icon: typeof PersonIcon; tone: string }> = {
  person: { label: "Person", Icon: PersonIcon, tone: "bg-sky-50 text-sky-700 ring-sky-200 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-500/30" },
  token: {
    label: "API token",
    Icon: KeyIcon,
    tone: "bg-amber-50 text-amber-700 ring-amber-200 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-500/30",
  },
  system: { label: "System", Icon: CogIcon, tone: "bg-zinc-100 text-zinc-600 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700" },
};

/** Who did it, with a glyph for the kind of actor: a person, an API token or Slipway itself. */
export function AuditActor({ type, name, className }: { type: string; name: string; className?: string }) {
  const kind = kinds[type] ?? kinds.system!;
  const { Icon } = kind;
  return (
    <span className={cn("inline-flex min-w-0 items-center gap-2", className)}>
      <span title={kind.label} className={cn("inline-flex size-5 shrink-0 items-center justify-center rounded-full ring-1 ring-inset", kind.tone)}>
        <Icon size={12} aria-hidden />
        <span className="sr-only">{kind.label}:</span>
      </span>
      <span className="truncate">{name}</span>
    </span>
  );
}

/** Actions grouped by area, so a column of them can be scanned by colour. */
export function actionTone(action: string): "sky" | "amber" | "indigo" | "violet" | "red" | "neutral" {
  const area = action.split(".")[0];
  if (area === "auth") return "sky";
  if (area === "token") return "amber";
  if (area === "catalogue" || area === "service") return "indigo";
  if (area === "rollout" || area === "release" || area === "checkpoint" || area === "freeze") return "violet";
  return "neutral";
}
