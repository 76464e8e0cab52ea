import { useCallback, useMemo, useState } from "react";

export type Selection<T extends { id: string }> = {
  /** The picked rows, in the order they were picked (kept across pages). */
  items: T[];
  size: number;
  has: (id: string) => boolean;
  toggle: (item: T, checked?: boolean) => void;
  /** "Pilih semua di halaman ini": adds (or, unchecked, removes) every row of the page. */
  setPage: (page: T[], checked: boolean) => void;
  /** true, false or "indeterminate", for the header checkbox of this page. */
  pageState: (page: T[]) => boolean | "indeterminate";
  clear: () => void;
};

/** Checkbox selection on a list, keyed by id, that survives paging (the sticky bar counts it). */
export function useSelection<T extends { id: string }>(): Selection<T> {
  const [picked, setPicked] = useState<Map<string, T>>(() => new Map());

  const toggle = useCallback((item: T, checked?: boolean) => {
    setPicked((prev) => {
      const next = new Map(prev);
      const on = checked ?? !prev.has(item.id);
      if (on) next.set(item.id, item);
      else next.delete(item.id);
      return next;
    });
  }, []);

  const setPage = useCallback((page: T[], checked: boolean) => {
    setPicked((prev) => {
      const next = new Map(prev);
      for (const item of page) {
        if (checked) next.set(item.id, item);
        else next.delete(item.id);
      }
      return next;
    });
  }, []);

  const clear = useCallback(() => setPicked(new Map()), []);

  return useMemo(() => {
    const has = (id: string) => picked.has(id);
    return {
      items: [...picked.values()],
      size: picked.size,
      has,
      toggle,
      setPage,
      pageState: (page: T[]) => {
        const n = page.filter((item) => picked.has(item.id)).length;
        return n === 0 ? false : n === page.length ? true : "indeterminate";
      },
      clear,
    };
  }, [picked, toggle, setPage, clear]);
}
