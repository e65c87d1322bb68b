"use client";

import { useId, useState } from "react";
import type { FacetValue } from "@/server/catalogue/contract";
import { Checkbox } from "@/components/ui/checkbox";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";

const collapsedCount = 6;

/** One facet as a checkbox list with counts; the top values show first, the rest behind "Show more". */
export function FacetList({
  title,
  hint,
  values,
  selected,
  onToggle,
  countsAreLowerBounds,
  renderLabel,
}: {
  title: string;
  hint?: string;
  values: FacetValue[];
  selected: string[];
  onToggle: (value: string) => void;
  countsAreLowerBounds: boolean;
  renderLabel?: (value: FacetValue) => React.ReactNode;
}) {
  const id = useId();
  const [expanded, setExpanded] = useState(false);
  // Selected values always stay visible, even when they are not among the top ones.
  const top = values.slice(0, collapsedCount);
  const shown = expanded ? values : [...top, ...values.slice(collapsedCount).filter((v) => selected.includes(v.value))];
  const hidden = values.length - shown.length;

  return (
    <fieldset className="min-w-0">
      <legend className="flex w-full items-baseline justify-between pb-1.5">
        <span className="text-xs font-semibold text-zinc-900 dark:text-zinc-100">{title}</span>
        {hint ? <span className="text-[11px] text-zinc-400 dark:text-zinc-500">{hint}</span> : null}
      </legend>
      {values.length === 0 ? (
        <p className="py-1 text-xs text-zinc-400 dark:text-zinc-500">No values</p>
      ) : (
        <ul className="space-y-px" id={`${id}-values`}>
          {shown.map((value) => {
            const checked = selected.includes(value.value);
            const inputId = `${id}-${value.value || "none"}`;
            return (
              <li key={value.value || "none"}>
                <label
                  htmlFor={inputId}
                  className={cn(
                    "flex cursor-pointer items-center gap-2 rounded px-1.5 py-1 text-[13px] hover:bg-zinc-100 dark:hover:bg-zinc-800/70",
                    value.count === 0 && !checked && "opacity-50",
                  )}
                >
                  <Checkbox id={inputId} checked={checked} onChange={() => onToggle(value.value)} />
                  <span className={cn("min-w-0 flex-1 truncate", checked ? "font-medium text-zinc-900 dark:text-zinc-50" : "text-zinc-700 dark:text-zinc-300")}>
                    {renderLabel ? renderLabel(value) : value.label}
                  </span>
                  <span className="text-xs text-zinc-400 tabular-nums dark:text-zinc-500">
                    {value.count.toLocaleString("en-GB")}
                    {countsAreLowerBounds ? "+" : ""}
                  </span>
                </label>
              </li>
            );
          })}
        </ul>
      )}
      {values.length > collapsedCount && (expanded || hidden > 0) ? (
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls={`${id}-values`}
          onClick={() => setExpanded((e) => !e)}
          className={cn(
            "mt-1 ml-1.5 rounded text-xs font-medium text-indigo-600 hover:text-indigo-500 dark:text-indigo-400 dark:hover:text-indigo-300",
            focusRing,
          )}
        >
          {expanded ? "Show fewer" : `Show ${hidden} more`}
        </button>
      ) : null}
    </fieldset>
  );
}
