#!/bin/sh
# The certbot service (README, "TLS"). SSL_METHOD=letsencrypt: obtain a certificate for DOMAIN over HTTP-01
# (the challenge files go to the `acme` volume, which nginx serves at /.well-known/acme-challenge/ on port 80),
# then `certbot renew` every RENEW_INTERVAL_SECONDS (12 h; certbot renews only within 30 days of expiry).
# nginx notices a new certificate itself (compose/nginx/tls-watch.sh), so no hook has to reach across containers.
# Any other SSL_METHOD: idle. CERTBOT_ARGS: extra arguments for every certbot call (tests/tls point it at pebble
# with --server and temporary --config-dir/--work-dir/--logs-dir); RUN_ONCE=1 stops after the first round.
set -eu

WEBROOT=${ACME_WEBROOT:-/var/www/acme}
# Touched after every good round: the compose healthcheck fails when it is older than a day (renewals failing).
HEALTH_FILE=${HEALTH_FILE:-/tmp/fibernode-certbot.ok}
# shellcheck disable=SC2086  # CERTBOT_ARGS is a list of words
certbot_() { certbot --non-interactive ${CERTBOT_ARGS:-} "$@"; }

if [ "${SSL_METHOD:-none}" != letsencrypt ]; then
    echo "certbot: SSL_METHOD=${SSL_METHOD:-none}: no certificate to obtain"
    touch "$HEALTH_FILE"
    [ "${RUN_ONCE:-0}" = 1 ] && exit 0
    while sleep 43200; do touch "$HEALTH_FILE"; done
fi
: "${DOMAIN:?set DOMAIN (the site's hostname) for SSL_METHOD=letsencrypt}"
: "${ACME_EMAIL:?set ACME_EMAIL (Let's Encrypt's expiry notices) for SSL_METHOD=letsencrypt}"
mkdir -p "$WEBROOT"

while :; do
    # certonly --keep-until-expiring: obtains one when none exists for DOMAIN, and is a no-op otherwise.
    if certbot_ certonly --webroot -w "$WEBROOT" -d "$DOMAIN" --cert-name "$DOMAIN" \
            --email "$ACME_EMAIL" --agree-tos --no-eff-email --keep-until-expiring; then
        # shellcheck disable=SC2086  # RENEW_ARGS: e.g. --force-renewal (tests/tls)
        if certbot_ renew --webroot -w "$WEBROOT" ${RENEW_ARGS:-}; then
            touch "$HEALTH_FILE"
        else
            echo "certbot: renew failed, retrying later" >&2
        fi
    else
        echo "certbot: could not obtain a certificate for $DOMAIN (does it resolve here, is port 80 open?)" >&2
    fi
    [ "${RUN_ONCE:-0}" = 1 ] && exit 0
    sleep "${RENEW_INTERVAL_SECONDS:-43200}"
done
