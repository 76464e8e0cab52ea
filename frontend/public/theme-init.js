// Applies the remembered theme before first paint so dark mode never flashes white. A classic (not module,
// not deferred) script in <head>, external so the app's CSP `script-src 'self'` allows it without
// 'unsafe-inline' or a hash. Keep in step with src/lib/theme.tsx (same key, same fallback).
(function () {
  try {
    var t = localStorage.getItem("fibernode:theme");
    var dark = t === "dark" || (t !== "light" && window.matchMedia("(prefers-color-scheme: dark)").matches);
    if (dark) document.documentElement.classList.add("dark");
    document.documentElement.style.colorScheme = dark ? "dark" : "light";
  } catch (e) {
    /* storage disabled: the app picks the theme on start */
  }
})();
