import { cn } from "@/components/ui/cn";

/** "Aisha Bello" -> "AB"; "mei.lin" -> "ML". */
export function initialsOf(displayName: string | null, name: string): string {
  const source = (displayName?.trim() || name).split(/[\s._-]+/).filter(Boolean);
  const letters = source.length > 1 ? [source[0]!, source.at(-1)!] : source;
  return (
    letters
      .map((w) => w[0]!.toUpperCase())
      .join("")
      .slice(0, 2) || "?"
  );
}

// A stable, calm colour per person, so the same person looks the same everywhere.
const palettes = [
  "bg-indigo-100 text-indigo-800 dark:bg-indigo-500/20 dark:text-indigo-200",
  "bg-emerald-100 text-emerald-800 dark:bg-emerald-500/20 dark:text-emerald-200",
  "bg-amber-100 text-amber-800 dark:bg-amber-500/20 dark:text-amber-200",
  "bg-sky-100 text-sky-800 dark:bg-sky-500/20 dark:text-sky-200",
  "bg-rose-100 text-rose-800 dark:bg-rose-500/20 dark:text-rose-200",
  "bg-violet-100 text-violet-800 dark:bg-violet-500/20 dark:text-violet-200",
  "bg-teal-100 text-teal-800 dark:bg-teal-500/20 dark:text-teal-200",
];

function paletteOf(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return palettes[hash % palettes.length]!;
}

export function InitialsAvatar({
  name,
  displayName,
  size = "md",
  className,
}: {
  name: string;
  displayName: string | null;
  size?: "sm" | "md" | "lg";
  className?: string;
}) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        "inline-flex shrink-0 items-center justify-center rounded-full font-semibold select-none",
        size === "sm" ? "size-6 text-[10px]" : size === "md" ? "size-9 text-xs" : "size-11 text-sm",
        paletteOf(name),
        className,
      )}
    >
      {initialsOf(displayName, name)}
    </span>
  );
}
