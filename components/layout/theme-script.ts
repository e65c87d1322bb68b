/** Where the chosen theme is kept: "light", "dark" or "system" (the default when nothing is stored). */
export const themeStorageKey = "slipway-theme";

/**
 * Runs in <head> before the first paint so a dark-mode reader never sees a white flash. It is a fixed string (no
 * interpolation) so a Content-Security-Policy can allow it by its hash.
 */
export const themeScript = `(function(){try{var t=localStorage.getItem("slipway-theme");var d=t==="dark"||(t!=="light"&&window.matchMedia("(prefers-color-scheme: dark)").matches);var e=document.documentElement;e.classList.toggle("dark",d);e.style.colorScheme=d?"dark":"light"}catch(_){}})()`;
