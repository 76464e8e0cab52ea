# The certbot service: the official image and our loop (compose/certbot/run.sh; no bind mount, for Portainer).
FROM certbot/certbot:v3.0.1
COPY --chmod=755 compose/certbot/run.sh /usr/local/bin/fibernode-certbot
ENTRYPOINT ["/usr/local/bin/fibernode-certbot"]
