"""docker-compose.yml: every long-running service is health-checked, and the PostgreSQL pools fit max_connections."""

import re
from pathlib import Path

import yaml

from shared.config import Settings

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"
SUPERUSER_RESERVED = 3  # PostgreSQL's superuser_reserved_connections default, inside max_connections
HEADROOM = 10  # an operator's psql, a one-off `docker compose run` (alembic, seed), a pg_restore
HEARTBEAT_ROLES = {"worker": "worker", "beat": "beat", "wa-worker": "wa"}


def services() -> dict:
    return yaml.safe_load(COMPOSE.read_text())["services"]  # safe_load resolves the `<<` merges


def with_defaults(value) -> str:
    """`${VAR:-default}` as compose reads it with VAR unset."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(value))


def processes(name: str, service: dict) -> int:
    """Processes of a service that each hold their own pool."""
    if name == "worker":  # Celery prefork: the parent and one child per concurrency slot
        command = service["command"]
        return int(with_defaults(command[command.index("--concurrency") + 1])) + 1
    if "GUNICORN_WORKERS" in (service.get("environment") or {}):  # api/gunicorn_conf.py: a pool per worker
        return int(with_defaults(service["environment"]["GUNICORN_WORKERS"]))
    return 1


def connection_budget() -> tuple[dict[str, int], int]:
    defaults = Settings.model_fields
    budget = {}
    for name, service in services().items():
        env = service.get("environment") or {}
        if "DATABASE_URL" not in env:
            continue
        size = int(env.get("DB_POOL_SIZE", defaults["db_pool_size"].default))
        overflow = int(env.get("DB_MAX_OVERFLOW", defaults["db_max_overflow"].default))
        own = int(env.get("WA_DB_POOL_SIZE", 0))  # the WA worker's own pool, beside the default one
        budget[name] = processes(name, service) * (size + overflow + own)
        if "shared.heartbeats" in service.get("healthcheck", {}).get("test", []):
            budget[f"{name} healthcheck"] = 1  # a fresh process with one connection, every interval
    budget["db-backup (pg_dump)"] = 1
    budget["headroom"] = HEADROOM
    postgres = " ".join(services()["postgres"]["command"])
    max_connections = int(with_defaults(re.search(r"max_connections=(\S+)", postgres).group(1)))
    return budget, max_connections


def test_every_long_running_service_has_a_healthcheck():
    stack = services()
    long_running = [name for name, service in stack.items() if service.get("restart") == "unless-stopped"]
    assert set(long_running) == {"postgres", "redis", "api", "worker", "beat", "wa-worker", "flower", "nginx",
                                 "db-backup", "certbot"}
    assert [name for name in long_running if not stack[name].get("healthcheck", {}).get("test")] == []
    for name, role in HEARTBEAT_ROLES.items():
        assert stack[name]["healthcheck"]["test"] == ["CMD", "python", "-m", "shared.heartbeats", "check", role]
    assert "/flower/healthcheck" in " ".join(stack["flower"]["healthcheck"]["test"])


def test_every_app_service_sizes_its_own_pool():
    unsized = [name for name, service in services().items()
               if "DATABASE_URL" in (service.get("environment") or {})
               and not {"DB_POOL_SIZE", "DB_MAX_OVERFLOW"} <= set(service["environment"])]
    assert unsized == []


def test_the_whole_stack_fits_in_postgres_max_connections():
    budget, max_connections = connection_budget()
    assert sum(budget.values()) <= max_connections - SUPERUSER_RESERVED, budget
    # The README's arithmetic is these numbers.
    assert budget == {"api": 30, "worker": 9, "worker healthcheck": 1, "beat": 2, "beat healthcheck": 1,
                      "wa-worker": 7, "wa-worker healthcheck": 1, "flower": 1, "db-backup (pg_dump)": 1,
                      "headroom": 10}
    assert max_connections == 200


def test_the_api_trusts_exactly_one_proxy_nginx():
    # Client IPs come from nginx's X-Forwarded-For; 0 would make every per-IP limit global, 2 would let a client
    # name its own address (tests/nginx/).
    stack = services()
    assert with_defaults(stack["api"]["environment"]["TRUSTED_PROXY_HOPS"]) == "1"
    assert [name for name, service in stack.items() if service.get("ports")] == ["nginx"]


def test_every_file_the_nginx_config_includes_is_in_the_image():
    compose_dir = COMPOSE.parent / "compose"
    includes = re.findall(r"^\s*include\s+(\S+);", (compose_dir / "nginx" / "default.conf").read_text(), re.MULTILINE)
    copied = dict(re.findall(r"^COPY\s+(\S+)\s+(\S+)$", (compose_dir / "frontend.Dockerfile").read_text(),
                             re.MULTILINE))
    assert includes
    destinations = {destination: source for source, destination in copied.items()}
    # The TLS include is a glob over what tls-watch.sh renders at runtime from the template in the image.
    tls_include = "/etc/nginx/fibernode-tls/*.conf"
    assert tls_include in includes
    includes.remove(tls_include)
    assert "/etc/nginx/templates-tls/tls.conf.template" in destinations
    assert "/docker-entrypoint.d/40-fibernode-tls.sh" in destinations
    assert [path for path in includes if path not in destinations] == []
    assert all((COMPOSE.parent / destinations[path]).is_file() for path in includes)


def test_backups_run_from_their_own_image_and_only_read_the_uploads():
    # Portainer CE stacks cannot resolve bind mounts of repository files: the script is baked into the image.
    stack = services()
    bind_mounts = [(name, volume) for name, service in stack.items() for volume in service.get("volumes", [])
                   if str(volume).startswith((".", "/"))]
    assert bind_mounts == []
    backup, restore = stack["db-backup"], stack["db-restore"]
    assert backup["build"]["dockerfile"] == "compose/backup.Dockerfile"
    dockerfile = (COMPOSE.parent / "compose" / "backup.Dockerfile").read_text()
    assert re.search(r"^COPY compose/backup/backup\.sh /usr/local/bin/backup\.sh$", dockerfile, re.MULTILINE)
    assert re.search(r"^FROM postgres:16-alpine$", dockerfile, re.MULTILINE)
    assert stack["postgres"]["image"] == "postgres:16-alpine"  # pg_dump must not be older than the server
    # The app keeps uploads in /data/uploads of the `uploads` volume; the backup reads that volume read-only.
    assert "uploads:/data" in stack["api"]["volumes"]
    assert "uploads:/appdata:ro" in backup["volumes"] and backup["environment"]["UPLOADS_DIR"] == "/appdata/uploads"
    # The restore service runs only on demand and may write the uploads back.
    assert restore["profiles"] == ["restore"] and "uploads:/appdata" in restore["volumes"]
    assert restore["entrypoint"][-1] == "restore" and restore["environment"] == backup["environment"]


# --- Portainer CE: images, secrets per service, logs and memory ----------------------------------------------

WORKFLOW = COMPOSE.parent / ".github" / "workflows" / "ci.yml"
MEMORY_BUDGET_MIB = 1664  # a 2 GB VPS: the kernel, Docker and sshd keep the rest (README, "Memory on a 2 GB VPS")
# The secrets, and the services that use them (code: api/app.py signs with JWT_SECRET, the seed in the api's
# entrypoint reads ADMIN_PASSWORD, Flower reads FLOWER_BASIC_AUTH, only the api serves /metrics).
# ENCRYPTION_KEY: the processes that read or write customers' NIK (shared/crypto.py).
PERSONAL_DATA = {"api", "worker", "wa-worker"}
SECRETS = {"JWT_SECRET": {"api"}, "ADMIN_PASSWORD": {"api"}, "METRICS_TOKEN": {"api"},
           "FLOWER_BASIC_AUTH": {"flower"}, "ENCRYPTION_KEY": PERSONAL_DATA, "ENCRYPTION_KEY_PREVIOUS": PERSONAL_DATA}


def mebibytes(limit: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([mg])", str(limit).lower()).groups()
    return int(number) * (1024 if unit == "g" else 1)


def test_no_service_bind_mounts_a_repository_file_or_reads_env_file():
    # A Portainer CE stack has neither the repository's files nor a .env next to it: configs are in the images.
    stack = services()
    bind_mounts = [(name, volume) for name, service in stack.items() for volume in service.get("volumes", [])
                   if str(volume).split(":", 1)[0].startswith((".", "/", "~"))]
    assert bind_mounts == []
    assert [name for name, service in stack.items() if "env_file" in service] == []


def test_every_service_rotates_its_logs_and_has_a_memory_limit():
    stack = services()
    assert [name for name, service in stack.items()
            if service.get("logging") != {"driver": "json-file", "options": {"max-size": "10m", "max-file": "3"}}] == []
    assert [name for name, service in stack.items() if "mem_limit" not in service] == []


def test_the_long_running_services_fit_a_2_gb_vps():
    stack = services()
    running = {name: mebibytes(service["mem_limit"]) for name, service in stack.items() if "profiles" not in service}
    assert sum(running.values()) <= MEMORY_BUDGET_MIB, running
    # The README's table is these numbers.
    assert running == {"postgres": 256, "redis": 64, "api": 320, "worker": 320, "beat": 128, "wa-worker": 288,
                       "flower": 128, "nginx": 32, "db-backup": 64, "certbot": 64}
    postgres = " ".join(stack["postgres"]["command"])
    assert "shared_buffers=64MB" in postgres  # a quarter of its limit


def test_images_are_the_ones_the_release_workflow_pushes():
    stack = services()
    workflow = yaml.safe_load(WORKFLOW.read_text())
    release = workflow["jobs"]["release"]
    pushed = {}  # Dockerfile -> image name
    for step in release["steps"]:
        if str(step.get("uses", "")).startswith("docker/build-push-action"):
            meta = re.search(r"steps\.([\w-]+)\.outputs\.tags", step["with"]["tags"]).group(1)
            images = next(s for s in release["steps"] if s.get("id") == meta)["with"]["images"]
            name = re.fullmatch(r"\$\{\{ env\.(\w+) \}\}", images).group(1)
            pushed[step["with"]["file"]] = release["env"][name].replace("${{ github.repository_owner }}", "OWNER")
    built = {service["build"]["dockerfile"]: service["image"] for service in stack.values() if "build" in service}
    assert set(built) == {"compose/python.Dockerfile", "compose/frontend.Dockerfile", "compose/backup.Dockerfile",
                          "compose/certbot.Dockerfile"}
    assert set(pushed) == set(built)
    for dockerfile, image in built.items():
        assert image == pushed[dockerfile].replace("OWNER", "${GHCR_OWNER:-fibernode}") + ":${APP_VERSION:-latest}"


def test_each_secret_reaches_only_the_services_that_use_it():
    stack = services()
    for secret, users in SECRETS.items():
        assert {name for name, service in stack.items() if secret in (service.get("environment") or {})} == users
    assert set(stack["nginx"]["environment"]) == {"NGINX_RESOLVER", "DOMAIN", "SSL_METHOD"}  # no secret
    # Only the api signs tokens; the rest must say so, or production settings would demand JWT_SECRET of them.
    signers = {name for name, service in stack.items()
               if (service.get("environment") or {}).get("SIGNS_TOKENS") == "true"}
    assert signers == {"api"}
    apps = {name for name, service in stack.items() if "SIGNS_TOKENS" in (service.get("environment") or {})}
    assert apps == {"api", "worker", "beat", "wa-worker", "flower"}


def test_the_app_services_without_the_encryption_key_say_so():
    # Production refuses to start without ENCRYPTION_KEY unless HANDLES_PERSONAL_DATA=false (shared/config.py).
    stack = services()
    apps = {name for name, service in stack.items() if "SIGNS_TOKENS" in (service.get("environment") or {})}
    without = {name for name in apps if stack[name]["environment"].get("HANDLES_PERSONAL_DATA") == "false"}
    assert without == apps - PERSONAL_DATA == {"beat", "flower"}
    assert "${ENCRYPTION_KEY:?" in stack["api"]["environment"]["ENCRYPTION_KEY"]  # required, like JWT_SECRET


def test_every_process_logs_at_log_level():
    stack = services()
    assert stack["api"]["environment"]["LOG_LEVEL"] == "${LOG_LEVEL:-INFO}"  # the shared app environment
    for name in ("worker", "beat"):
        command = stack[name]["command"]
        assert command[command.index("--loglevel") + 1] == "${LOG_LEVEL:-INFO}"
    assert "--conf=worker/flowerconfig.py" in stack["flower"]["command"]
    assert (COMPOSE.parent / "worker" / "flowerconfig.py").is_file()
    dockerfile = (COMPOSE.parent / "compose" / "python.Dockerfile").read_text()
    assert "--log-level ${LOG_LEVEL:-info}" in dockerfile and "COPY worker ./worker" in dockerfile


def test_the_pwa_image_takes_its_build_time_settings():
    args = services()["nginx"]["build"]["args"]
    assert {"VITE_APP_VERSION", "VITE_API_URL", "VITE_WS_URL", "VITE_APP_NAME"} <= set(args)
    assert with_defaults(args["VITE_API_URL"]) == "" and with_defaults(args["VITE_APP_NAME"]) == "FiberNode Internet"
    dockerfile = (COMPOSE.parent / "compose" / "frontend.Dockerfile").read_text()
    for name in ("VITE_API_URL", "VITE_WS_URL", "VITE_APP_NAME"):
        assert re.search(rf'^ARG {name}=""$', dockerfile, re.MULTILINE), name
        assert f'{name}="${{{name}}}"' in dockerfile, name  # handed to `npm run build`


def test_a_pwa_built_for_another_api_origin_may_connect_to_it(tmp_path):
    source = COMPOSE.parent / "compose" / "nginx" / "security-headers.conf"
    script = COMPOSE.parent / "compose" / "nginx" / "csp-origins.sh"
    dockerfile = (COMPOSE.parent / "compose" / "frontend.Dockerfile").read_text()
    assert 'csp-origins.sh /etc/nginx/snippets/fibernode-security-headers.conf "${VITE_API_URL}" "${VITE_WS_URL}"' \
        in dockerfile
    import subprocess

    def csp(*urls: str) -> str:
        conf = tmp_path / "headers.conf"
        conf.write_text(source.read_text())
        subprocess.run(["sh", str(script), str(conf), *urls], check=True)
        return re.search(r'Content-Security-Policy "([^"]+)"', conf.read_text()).group(1)

    same_origin = csp("", "")
    assert same_origin == re.search(r'Content-Security-Policy "([^"]+)"', source.read_text()).group(1)
    crossed = csp("https://api.example.id/api", "wss://api.example.id/socket.io")
    assert "connect-src 'self' ws: wss: https://api.example.id;" in crossed
    assert "img-src 'self' data: blob: https://api.example.id;" in crossed
    assert "script-src 'self';" in crossed  # nothing else loosened
