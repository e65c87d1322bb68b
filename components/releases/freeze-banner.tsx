import { SnowflakeIcon } from "@/components/ui/icons";
import { Time } from "@/components/ui/time";
import type { FreezeView } from "./types";

/** Active freezes that apply to this service: nothing new goes out until they end; rollbacks still do. */
export function FreezeBanner({ freezes }: { freezes: FreezeView[] }) {
  if (!freezes.length) return null;
  return (
    <div role="status" className="rounded-lg border border-sky-200 bg-sky-50 px-4 py-3 dark:border-sky-500/30 dark:bg-sky-500/[0.08]">
      <ul className="space-y-1.5">
        {freezes.map((f) => (
          <li key={f.id} className="flex items-start gap-2.5 text-[13px] text-sky-950 dark:text-sky-100">
            <SnowflakeIcon size={16} className="mt-px shrink-0 text-sky-600 dark:text-sky-400" />
            <p>
              <span className="font-semibold">
                {f.service ? `${f.service} is locked` : "Deploys are frozen"}
                {f.environment ? ` in ${f.environment}` : " in every environment"}
              </span>{" "}
              until <Time iso={f.endsAt} format="datetime" /> (<Time iso={f.endsAt} />
              ): {f.reason}{" "}
              <span className="text-sky-800/80 dark:text-sky-200/70">— set by {f.createdBy}. Rollbacks, restarts and pauses are still allowed.</span>
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
