"use client";

import { useEffect, useSyncExternalStore } from "react";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { MonitorIcon, MoonIcon, SunIcon } from "@/components/ui/icons";
import { themeStorageKey } from "./theme-script";

type Theme = "light" | "dark" | "system";

const themes: Array<{ value: Theme; label: string; Icon: typeof SunIcon }> = [
  { value: "light", label: "Light", Icon: SunIcon },
  { value: "dark", label: "Dark", Icon: MoonIcon },
  { value: "system", label: "System", Icon: MonitorIcon },
];

const listeners = new Set<() => void>();

function readTheme(): Theme {
  try {
    const stored = localStorage.getItem(themeStorageKey);
    return stored === "light" || stored === "dark" ? stored : "system";
  } catch {
    return "system";
  }
}

function systemPrefersDark() {
  return window.matchMedia("(prefers-color-scheme: dark)").matches;
}

function applyTheme(theme: Theme) {
  const dark = theme === "dark" || (theme === "system" && systemPrefersDark());
  document.documentElement.classList.toggle("dark", dark);
  document.documentElement.style.colorScheme = dark ? "dark" : "light";
}

function setTheme(theme: Theme) {
  try {
    if (theme === "system") localStorage.removeItem(themeStorageKey);
    else localStorage.setItem(themeStorageKey, theme);
  } catch {
    // Private windows may refuse storage; the choice still applies to this page.
  }
  applyTheme(theme);
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === themeStorageKey) {
      applyTheme(readTheme());
      listener();
    }
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

/** Light, dark or follow the system; remembered in localStorage and applied before paint by the theme script. */
export function ThemeToggle() {
  // null on the server and during hydration: the stored choice is only known in the browser.
  const theme = useSyncExternalStore<Theme | null>(subscribe, readTheme, () => null);

  useEffect(() => {
    if (theme === null) return;
    // Again after hydration: a page rendered in the browser after a server error (a 404 answered before streaming
    // began) never ran the theme script in <head>.
    applyTheme(theme);
    if (theme !== "system") return;
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => applyTheme("system");
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }, [theme]);

  const current = themes.find((t) => t.value === theme) ?? themes[2]!;
  const next = themes[(themes.indexOf(current) + 1) % themes.length]!;

  return (
    <>
      <div
        role="radiogroup"
        aria-label="Colour theme"
        className="hidden items-center gap-0.5 rounded-md p-0.5 ring-1 ring-inset ring-zinc-200 sm:flex dark:ring-zinc-800"
      >
        {themes.map(({ value, label, Icon }) => {
          const active = theme === value;
          return (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={active}
              aria-label={label}
              title={`${label} theme`}
              onClick={() => setTheme(value)}
              className={cn(
                "flex size-6 items-center justify-center rounded transition-colors",
                focusRing,
                active
                  ? "bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100"
                  : "text-zinc-400 hover:text-zinc-700 dark:text-zinc-500 dark:hover:text-zinc-200",
              )}
            >
              <Icon size={14} />
            </button>
          );
        })}
      </div>
      <button
        type="button"
        onClick={() => setTheme(next.value)}
        aria-label={`Theme: ${current.label}. Switch to ${next.label.toLowerCase()}.`}
        className={cn(
          "flex size-8 items-center justify-center rounded-md text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 sm:hidden dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100",
          focusRing,
        )}
      >
        <current.Icon size={16} />
      </button>
    </>
  );
}
