import { QuickSwitcher } from "@/components/catalogue/quick-switcher";
import { NavLinks } from "./nav-links";
import { ThemeToggle } from "./theme-toggle";
import { Wordmark } from "./wordmark";

export function TopBar() {
  return (
    <header className="sticky top-0 z-40 border-b border-zinc-200 bg-white/85 backdrop-blur supports-[backdrop-filter]:bg-white/75 dark:border-zinc-800 dark:bg-zinc-950/85 dark:supports-[backdrop-filter]:bg-zinc-950/70">
      <div className="mx-auto flex h-12 max-w-[1440px] items-center gap-3 px-4 md:gap-6 md:px-6">
        <Wordmark />
        <NavLinks />
        <div className="ml-auto flex items-center gap-2">
          <QuickSwitcher />
          <ThemeToggle />
        </div>
      </div>
    </header>
  );
}
