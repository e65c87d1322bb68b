"use client";
import { usePathname } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { SignInIcon } from "@/components/ui/icons";

/** For the header when nobody is signed in: sign in, then come back to this page. */
export function SignInButton({ className }: { className?: string }) {
  const pathname = usePathname() ?? "/";
  const onSignIn = pathname.startsWith("/signin");
  return (
    <a
      href={onSignIn ? "/signin" : `/signin?returnTo=${encodeURIComponent(pathname)}`}
      onClick={(event) => {
        // Keep the query string too (filters, tabs); only the browser knows it here.
        if (!onSignIn) event.currentTarget.href = `/signin?returnTo=${encodeURIComponent(`${window.location.pathname}${window.location.search}`)}`;
      }}
      className={buttonClass({ variant: "primary", size: "sm", className })}
    >
      <SignInIcon size={14} />
      Sign in
    </a>
  );
}
