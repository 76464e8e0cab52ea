// Applies the remembered theme before first paint so dark mode never flashes white (and starts fetching the
// page's code, below). A classic (not module,
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

// Starts fetching the opened page's code while the entry script downloads (index.html's <meta
// name="fibernode-route-chunks">, written by the build): /login's, a receipt's, or for a signed-in start (a refresh
// token kept, src/lib/api.ts) the shell and dashboard's. The router would ask for them only after the entry has run. Nothing of the logged-in pages on /login.
(function () {
  try {
    var map = JSON.parse(document.querySelector('meta[name="fibernode-route-chunks"]').content);
    var path = location.pathname;
    var key = "fibernode:refreshToken";
    var files =
      path === "/login" ? map.login
      : path.indexOf("/receipt/") === 0 ? map.receipt
      : localStorage.getItem(key) !== null || sessionStorage.getItem(key) !== null ? map.app
      : [];
    for (var i = 0; i < files.length; i++) {
      var link = document.createElement("link");
      link.rel = "modulepreload";
      link.href = files[i];
      document.head.appendChild(link);
    }
  } catch (e) {
    /* no map (the dev server) or no storage: the router fetches the code itself */
  }
})();
