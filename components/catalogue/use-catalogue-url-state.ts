"use client";

import { useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { catalogueQueryString, readCatalogueQuery, type CatalogueQuery } from "./catalogue-query";

const searchDebounceMs = 150;

/**
 * The catalogue's view (search text, kind, facets, sort), mirrored in the URL so a view can be shared. The URL is
 * the source of truth: after Back, Next may restore the page with the props of an earlier render while the URL
 * holds the filters the reader had chosen. `text` is the search field, which updates `query.q` after a short pause.
 */
export function useCatalogueUrlState() {
  const searchParams = useSearchParams();
  const [query, setQuery] = useState<CatalogueQuery>(() => readCatalogueQuery(new URLSearchParams(searchParams.toString())));
  const [text, setText] = useState(query.q);
  const listKey = catalogueQueryString(query);

  // Typing updates the field at once and the query after a short pause, so each keystroke is not a request.
  useEffect(() => {
    if (text === query.q) return;
    const timer = setTimeout(() => setQuery((q) => ({ ...q, q: text })), searchDebounceMs);
    return () => clearTimeout(timer);
  }, [text, query.q]);

  // The URL mirrors the view. The native History API (which Next's router observes) replaces the entry without
  // asking the server to render the page again: the browser already fetches what it needs.
  const pendingUrlKeys = useRef<string[]>([]);
  useEffect(() => {
    const search = listKey ? `?${listKey}` : "";
    if (window.location.search === search) return;
    pendingUrlKeys.current.push(listKey);
    window.history.replaceState(null, "", `${window.location.pathname}${search}`);
  }, [listKey]);

  // A navigation to this page with other parameters (the "Catalogue" link, a link from a team page) keeps this
  // component mounted: adopt the URL's view, unless the URL is one this component wrote itself.
  const urlKey = catalogueQueryString(readCatalogueQuery(new URLSearchParams(searchParams.toString())));
  useEffect(() => {
    const pending = pendingUrlKeys.current.indexOf(urlKey);
    if (pending >= 0) {
      pendingUrlKeys.current.splice(0, pending + 1);
      return;
    }
    const fromUrl = readCatalogueQuery(new URLSearchParams(window.location.search));
    setQuery((current) => (catalogueQueryString(current) === urlKey ? current : fromUrl));
    setText((current) => (current.trim() === fromUrl.q.trim() ? current : fromUrl.q));
    // Only a change of the URL should trigger this, not every change of the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [urlKey]);

  return { query, setQuery, text, setText, listKey };
}
