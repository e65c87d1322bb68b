"use client";

import { useEffect, type RefObject } from "react";

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT";
}

/**
 * The catalogue's keys: "/" focuses search, ↑/↓ (or j/k outside the field) move the highlight, Enter opens,
 * Escape clears the search, then the highlight, then leaves the field. Keys typed into another field are theirs.
 */
export function useCatalogueKeyboard({
  searchRef,
  highlighted,
  text,
  itemCount,
  move,
  open,
  clearSearch,
  clearHighlight,
}: {
  searchRef: RefObject<HTMLInputElement | null>;
  highlighted: number;
  text: string;
  itemCount: number;
  move: (step: number) => void;
  open: (index: number) => void;
  clearSearch: () => void;
  clearHighlight: () => void;
}) {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      if (document.querySelector("dialog[open]")) return;
      const inSearch = event.target === searchRef.current;
      if (!inSearch && isEditable(event.target)) return;
      const onPage = inSearch || event.target === document.body || (event.target as HTMLElement | null)?.closest?.("[data-catalogue-results]");
      switch (event.key) {
        case "/":
          if (inSearch) return;
          event.preventDefault();
          searchRef.current?.focus();
          searchRef.current?.select();
          return;
        case "ArrowDown":
        case "ArrowUp":
          if (!onPage) return;
          event.preventDefault();
          move(event.key === "ArrowDown" ? 1 : -1);
          return;
        case "j":
        case "k":
          if (inSearch || !onPage) return;
          event.preventDefault();
          move(event.key === "j" ? 1 : -1);
          return;
        case "Enter":
          if (!inSearch && event.target !== document.body) return;
          if (highlighted >= 0) open(highlighted);
          else if (inSearch && text.trim() && itemCount) open(0);
          else return;
          event.preventDefault();
          return;
        case "Escape":
          if (!inSearch && event.target !== document.body) return;
          if (text) {
            event.preventDefault();
            clearSearch();
          } else if (highlighted >= 0) {
            clearHighlight();
          } else {
            searchRef.current?.blur();
          }
          return;
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [searchRef, move, open, clearSearch, clearHighlight, highlighted, text, itemCount]);
}
