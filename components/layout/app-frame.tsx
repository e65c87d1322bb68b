"use client";

import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/** Pages that draw their own full-screen frame (sign-in) get neither the top bar nor the main landmark. */
const bare = new Set(["/signin"]);

export function AppFrame({ topBar, children }: { topBar: ReactNode; children: ReactNode }) {
  const pathname = usePathname();
  if (bare.has(pathname)) return <>{children}</>;
  return (
    <>
      {topBar}
      <main id="main">{children}</main>
    </>
  );
}
