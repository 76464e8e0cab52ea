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

// A signed-in start (a refresh token kept, not /login or a receipt): exchange the refresh token for the session now,
// while the entry script downloads, instead of once it has run (a round trip later, in front of every request of
// the page). src/lib/api.ts takes the answer (window.__fibernodeEarlyRefresh: the access token, or null and it
// refreshes itself as before). Same cross-tab lock and storage rule as api.ts; only when the API is this origin
// (the build says so in the meta's "refresh").
(function () {
  try {
    var map = JSON.parse(document.querySelector('meta[name="fibernode-route-chunks"]').content);
    var key = "fibernode:refreshToken";
    var path = location.pathname;
    var stored = function () {
      return localStorage.getItem(key) || sessionStorage.getItem(key);
    };
    if (!map.refresh || path === "/login" || path.indexOf("/receipt/") === 0 || !stored() || !window.fetch) return;
    var exchange = function () {
      var token = stored();
      if (!token) return null;
      return fetch("/api/auth/refresh", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refreshToken: token }),
      }).then(function (res) {
        if (!res.ok) return null;
        return res.json().then(function (pair) {
          if (!pair || !pair.accessToken || !pair.refreshToken) return null;
          // The rotated token goes where the old one was (api.ts setTokens), inside the lock.
          var persist = localStorage.getItem(key) !== null;
          localStorage.removeItem(key);
          sessionStorage.removeItem(key);
          (persist ? localStorage : sessionStorage).setItem(key, pair.refreshToken);
          return pair.accessToken;
        });
      });
    };
    var locks = navigator.locks;
    var run = locks && locks.request ? locks.request("fibernode-refresh", exchange) : Promise.resolve().then(exchange);
    window.__fibernodeEarlyRefresh = run.catch(function () {
      return null;
    });
  } catch (e) {
    /* no map (the dev server) or no storage: api.ts refreshes itself */
  }
})();
