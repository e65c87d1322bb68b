"use client";

import { useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ChevronDownIcon } from "@/components/ui/icons";

/**
 * The actions that are not the one thing to do now (cancel, roll back a success, abort or fully promote a canary),
 * behind one disclosure so the page leads with a single primary action. They unfold inline, not as a popover, so
 * their confirmation dialogs stay in the page's flow.
 */
export function MoreActions({ children, count }: { children: ReactNode; count: number }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  if (!count) return null;
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <Button size="sm" variant="secondary" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        More actions
        <ChevronDownIcon size={14} className={cn("transition-transform", open && "rotate-180")} />
      </Button>
      <div id={id} role="group" aria-label="More actions" hidden={!open} className="flex basis-full flex-wrap justify-end gap-2 sm:basis-auto">
        {children}
      </div>
    </div>
  );
}
