#!/bin/sh
# Let the PWA reach an API on another origin (VITE_API_URL / VITE_WS_URL, build args of compose/frontend.Dockerfile):
# their origins join the CSP's connect-src (fetch, Socket.IO polling) and img-src (uploaded logos) in the given
# security-headers file. No URL (the default, same origin): the file is left as it is.
# Usage: csp-origins.sh <security-headers.conf> [VITE_API_URL] [VITE_WS_URL]
set -eu
conf="$1"
shift
origins=""
for url in "$@"; do
    [ -n "$url" ] || continue
    origin=$(printf '%s' "$url" | sed -E 's#^(wss?|https?)://([^/?#]+).*$#\1://\2#; s#^ws://#http://#; s#^wss://#https://#')
    case "$origin" in
        http://*|https://*) ;;
        *) echo "csp-origins.sh: $url is not an http(s) or ws(s) URL" >&2; exit 1 ;;
    esac
    case " $origins " in *" $origin "*) ;; *) origins="$origins $origin" ;; esac
done
[ -n "$origins" ] || exit 0
sed -i -e "s#connect-src 'self' ws: wss:#connect-src 'self' ws: wss:$origins#" \
       -e "s#img-src 'self' data: blob:#img-src 'self' data: blob:$origins#" "$conf"
grep -q "connect-src 'self' ws: wss:$origins" "$conf"
