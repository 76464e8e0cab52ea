#!/bin/sh
# Run by the nginx image's entrypoint (/docker-entrypoint.d/) before nginx starts, and then in the background.
# Keeps /etc/nginx/fibernode-tls/tls.conf in step with the certificate in the `certs` volume: rendered from
# tls.conf.template when /etc/letsencrypt/live/$DOMAIN/{fullchain,privkey}.pem exist, removed when not. Every
# TLS_CHECK_SECONDS it compares the certificate file with the last one seen and reloads nginx when it changed
# (first issuance, a renewal by the certbot service, or a manual replacement): certbot needs no way to signal
# nginx across containers, and a renewed certificate is served within TLS_CHECK_SECONDS.
# SSL_METHOD none or cloudflare: nothing to do, plain port 80 (TLS ends upstream).
set -eu

# The paths are the image's; tests/tls runs this script with its own (and TLS_WATCH=0: render once, no loop).
TLS_DIR=${TLS_DIR:-/etc/nginx/fibernode-tls}
TLS_TEMPLATE=${TLS_TEMPLATE:-/etc/nginx/templates-tls/tls.conf.template}
LIVE="${LETSENCRYPT_LIVE:-/etc/letsencrypt/live}/${DOMAIN:-}"
mkdir -p "$TLS_DIR"

state() {
    # What decides the rendered config: the certificate's content (a renewal changes it), or "none".
    if [ -n "${DOMAIN:-}" ] && [ -s "$LIVE/fullchain.pem" ] && [ -s "$LIVE/privkey.pem" ]; then
        cksum < "$LIVE/fullchain.pem"
    else
        echo none
    fi
}

render() {
    if [ "$1" = none ]; then
        rm -f "$TLS_DIR/tls.conf"
    else
        envsubst '$DOMAIN' < "$TLS_TEMPLATE" > "$TLS_DIR/tls.conf"
    fi
}

case "${SSL_METHOD:-none}" in
    letsencrypt|manual) ;;
    *) echo "tls-watch: SSL_METHOD=${SSL_METHOD:-none}: plain http on port 80"; rm -f "$TLS_DIR/tls.conf"; exit 0 ;;
esac

current=$(state)
render "$current"
echo "tls-watch: DOMAIN=${DOMAIN:-} certificate: $( [ "$current" = none ] && echo none || echo present)"

watch() {
    seen="$current"
    while sleep "${TLS_CHECK_SECONDS:-300}"; do
        now=$(state)
        [ "$now" = "$seen" ] && continue
        render "$now"
        if nginx -t -q; then
            nginx -s reload && seen="$now" && echo "tls-watch: certificate changed, nginx reloaded"
        else
            echo "tls-watch: nginx -t failed with the new certificate; keeping the running config" >&2
            render "$seen"
        fi
    done
}
[ "${TLS_WATCH:-1}" = 1 ] || exit 0
watch </dev/null >/proc/1/fd/1 2>/proc/1/fd/2 &
