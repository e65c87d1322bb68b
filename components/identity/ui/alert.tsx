import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { AlertIcon, CheckCircleIcon, InfoIcon } from "@/components/ui/icons";

// components/ui has no alert yet: this one follows its look (13px text, rounded-lg, ring-free borders).
export type AlertTone = "info" | "success" | "warning" | "danger";

const tones: Record<AlertTone, string> = {
  info: "border-sky-200 bg-sky-50 text-sky-950 dark:border-sky-500/30 dark:bg-sky-500/10 dark:text-sky-100",
  success: "border-emerald-200 bg-emerald-50 text-emerald-950 dark:border-emerald-500/30 dark:bg-emerald-500/10 dark:text-emerald-100",
  warning: "border-amber-200 bg-amber-50 text-amber-950 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-100",
  danger: "border-red-200 bg-red-50 text-red-950 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-100",
};

const iconTones: Record<AlertTone, string> = {
  info: "text-sky-600 dark:text-sky-400",
  success: "text-emerald-600 dark:text-emerald-400",
  warning: "text-amber-600 dark:text-amber-400",
  danger: "text-red-600 dark:text-red-400",
};

export function Alert({
  tone = "info",
  title,
  children,
  action,
  className,
  icon,
}: {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  className?: string;
  icon?: ReactNode;
}) {
  const Icon = tone === "success" ? CheckCircleIcon : tone === "info" ? InfoIcon : AlertIcon;
  return (
    <div
      role={tone === "danger" || tone === "warning" ? "alert" : "status"}
      className={cn("flex flex-wrap items-start gap-x-3 gap-y-2 rounded-lg border px-3.5 py-2.5 text-[13px] leading-5", tones[tone], className)}
    >
      <span className={cn("mt-0.5 shrink-0", iconTones[tone])}>{icon ?? <Icon size={16} />}</span>
      <div className="min-w-0 flex-1 basis-48">
        {title ? <p className="font-semibold">{title}</p> : null}
        {children ? <div className={cn(title ? "mt-0.5" : null, "opacity-90 [overflow-wrap:anywhere]")}>{children}</div> : null}
      </div>
      {action ? <div className="-my-1 ml-auto shrink-0">{action}</div> : null}
    </div>
  );
}
