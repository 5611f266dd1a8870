"""docker-compose.yml, the Dockerfile and deploy/: their shape, and their commands run here.

No Docker engine runs on the development machines, so nothing here starts a container:
the files are parsed, and the commands they hold are run on the host with the image's
paths mapped onto the repository (see tests/ops/deploy.py). Long-running servers
(Daphne, nginx, Celery) are exercised in test_live.py.
"""

import json
import re
import subprocess
import sys

import pytest

from tests.fixtures.servers import free_port

from .deploy import (
    MAKE_SECRETS,
    NGINX,
    NGINX_CONF,
    PLATFORM_SERVICES,
    ROOT,
    Sandbox,
    argv,
    compose,
    dockerfile_collectstatic_step,
    dockerfile_env,
    dockerfile_exec_form,
    dockerfile_instructions,
    env_example,
    env_example_production,
    healthcheck_argv,
    local_nginx_conf,
    nginx_argv,
    service,
)

# Inside a container Daphne must listen on every interface, or no other container reaches it.
ALL_INTERFACES = "0.0.0.0"  # noqa: S104
SERVICES = ("postgres", "redis", "migrate", "web", "worker", "beat", "proxy")


def depends(name: str) -> dict[str, str]:
    return {dep: spec["condition"] for dep, spec in service(name)["depends_on"].items()}


def nginx_block(text: str, opening: str) -> str:
    """The body of the first `opening { ... }` block of an nginx config."""
    start = text.index(opening)
    depth, i = 0, text.index("{", start)
    for j in range(i, len(text)):
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return text[i + 1 : j]
    raise AssertionError(f"unbalanced block {opening!r}")


def directives(block: str) -> list[str]:
    """The directives of an nginx block, comments removed and whitespace collapsed."""
    lines = [line.split("#", 1)[0] for line in block.splitlines()]
    return [" ".join(d.split()) for d in " ".join(lines).split(";") if d.strip()]


# --- docker-compose.yml -----------------------------------------------------------------


def test_compose_has_the_services_and_each_has_an_image_or_a_build():
    services = compose()["services"]
    assert set(SERVICES) <= set(services)
    for name, spec in services.items():
        assert spec.get("image") or spec.get("build"), f"{name} has neither image nor build"
    for name in PLATFORM_SERVICES:
        assert service(name)["build"] == ".", f"{name} must run the image built from the Dockerfile"


def test_compose_commands_run_the_right_modules():
    web = argv(service("web")["command"])
    assert web[0] == "daphne" and web[-1] == "conference.asgi:application"
    assert web[web.index("-b") + 1] == ALL_INTERFACES and web[web.index("-p") + 1] == "8000"

    assert argv(service("worker")["command"])[:4] == ["celery", "-A", "conference", "worker"]
    assert argv(service("beat")["command"])[:4] == ["celery", "-A", "conference", "beat"]
    for name in ("worker", "beat"):
        command = argv(service(name)["command"])
        assert command[command.index("-l") + 1] == "info"

    migrate = " ".join(argv(service("migrate")["command"]))
    assert "python manage.py migrate --noinput" in migrate
    assert "CONFERENCE_LOAD_DEMO" in migrate and "manage.py load_demo" in migrate


def test_worker_concurrency_is_explicit():
    command = argv(service("worker")["command"])
    (option,) = [part for part in command if part.startswith("--concurrency")]
    assert 1 <= int(option.split("=")[1]) <= 16


def test_pythonpath_names_platform_as_a_source_folder():
    assert dockerfile_env()["PYTHONPATH"] == "/app/platform:/app"
    assert dockerfile_env()["DJANGO_SETTINGS_MODULE"] == "conference.settings"
    # The services inherit the image's PYTHONPATH; one that sets its own must keep platform/.
    for name in PLATFORM_SERVICES:
        pythonpath = (service(name).get("environment") or {}).get("PYTHONPATH")
        assert pythonpath is None or "/app/platform" in pythonpath.split(":")


def test_web_runs_two_replicas_with_a_health_check():
    web = service("web")
    assert web["deploy"]["replicas"] == 2
    assert "container_name" not in web and "ports" not in web, "replicas cannot share a name or host port"
    test = healthcheck_argv(web["healthcheck"]["test"])
    assert test[0] == "python" and "/healthz" in test[-1] and ":8000" in test[-1]


def test_beat_runs_exactly_once():
    beat = service("beat")
    assert beat.get("deploy", {}).get("replicas", 1) == 1
    command = argv(beat["command"])
    (schedule,) = [part for part in command if part.startswith("--schedule=")]
    assert any(schedule.split("=", 1)[1].startswith(v.split(":")[1] + "/") for v in beat["volumes"])


def test_startup_order_waits_for_healthy_dependencies_and_migrations():
    for name in ("web", "worker", "beat"):
        assert depends(name) == {
            "postgres": "service_healthy",
            "redis": "service_healthy",
            "migrate": "service_completed_successfully",
        }, name
    assert depends("migrate")["postgres"] == "service_healthy"
    assert depends("proxy") == {"web": "service_healthy"}
    assert service("proxy")["depends_on"]["web"]["restart"] is True, "nginx must re-resolve new web containers"
    assert service("migrate")["restart"] == "no", "a one-shot job must not be restarted"
    # Every service waited on as healthy has a health check.
    for name in SERVICES:
        if "depends_on" not in service(name):
            continue
        for dep, condition in depends(name).items():
            if condition == "service_healthy":
                assert "test" in service(dep)["healthcheck"], f"{dep} has no health check"


def test_postgres_and_redis():
    postgres, redis = service("postgres"), service("redis")
    assert postgres["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(healthcheck_argv(postgres["healthcheck"]["test"]))
    assert any(v.endswith(":/var/lib/postgresql/data") for v in postgres["volumes"])
    assert redis["image"].startswith("redis:7")
    assert healthcheck_argv(redis["healthcheck"]["test"]) == ["redis-cli", "ping"]
    assert argv(redis["command"])[-2:] == ["--appendonly", "yes"]
    assert any(v.endswith(":/data") for v in redis["volumes"])


def test_named_volumes_are_declared():
    declared = set(compose()["volumes"])
    assert {"postgres-data", "redis-data", "beat-data", "media"} <= declared
    for name, spec in compose()["services"].items():
        for volume in spec.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} mounts undeclared volume {source}"
    assert "media:/app/var/media" in service("web")["volumes"]


def test_secrets_are_files_made_by_make_secrets(tmp_path):
    declared = compose()["secrets"]
    for name, spec in compose()["services"].items():
        for secret in spec.get("secrets", []):
            assert secret in declared, f"{name} uses undeclared secret {secret}"
        # Every *_FILE variable points at a secret the service actually gets.
        for key, value in (spec.get("environment") or {}).items():
            if key.endswith("_FILE"):
                assert value.startswith("/run/secrets/"), key
                assert value.removeprefix("/run/secrets/") in spec["secrets"], f"{name}: {key}"

    result = subprocess.run(["sh", str(MAKE_SECRETS), str(tmp_path / "s")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    made = {p.name: p.read_text() for p in (tmp_path / "s").iterdir()}
    assert {spec["file"] for spec in declared.values()} == {f"deploy/secrets/{n}" for n in made}
    assert all(value and not value.endswith("\n") for value in made.values()), "no trailing newline"
    assert made["database_url"] == f"postgres://conference:{made['postgres_password']}@postgres:5432/conference"
    postgres_env = service("postgres")["environment"]
    assert (postgres_env["POSTGRES_USER"], postgres_env["POSTGRES_DB"]) == ("conference", "conference")

    # Running it again keeps what exists (PostgreSQL was initialised with that password).
    subprocess.run(["sh", str(MAKE_SECRETS), str(tmp_path / "s")], check=True, capture_output=True)
    assert {p.name: p.read_text() for p in (tmp_path / "s").iterdir()} == made


def test_env_example_documents_only_settings_that_exist():
    settings = (ROOT / "platform" / "conference" / "settings.py").read_text()
    example = env_example()
    for key in example:
        assert key.startswith("CONFERENCE_"), key
        name = key.removeprefix("CONFERENCE_")
        used_by_compose = f"${{{key}" in (ROOT / "docker-compose.yml").read_text()
        assert f'"{name}"' in settings or used_by_compose, f"{key} is read by nothing"
    # The containers' health checks call http://127.0.0.1:8000/healthz.
    assert "127.0.0.1" in example["CONFERENCE_ALLOWED_HOSTS"].split(",")
    assert example["CONFERENCE_DEBUG"] == "0"
    assert "CONFERENCE_SECRET_KEY" not in example, "secrets belong in deploy/secrets/"


def test_proxy_service():
    proxy = service("proxy")
    assert proxy["image"].startswith("nginx:")
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert healthcheck_argv(proxy["healthcheck"]["test"])
    assert [p.split(":")[-1] for p in proxy["ports"]] == ["80"]


def test_no_media_server_yet():
    # MediaMTX comes with the streaming work; until then compose only says so.
    assert "mediamtx" in (ROOT / "docker-compose.yml").read_text().lower()


# --- deploy/nginx.conf ------------------------------------------------------------------


def test_nginx_proxies_to_the_web_replicas_with_websocket_upgrade():
    text = NGINX_CONF.read_text()
    assert "server web:8000" in directives(nginx_block(text, "upstream web"))[0]

    ws = directives(nginx_block(text, "location /ws/"))
    assert "proxy_pass http://web" in ws
    assert "proxy_http_version 1.1" in ws
    assert "proxy_set_header Upgrade $http_upgrade" in ws
    assert 'proxy_set_header Connection "upgrade"' in ws
    assert "proxy_set_header X-Forwarded-Proto $scheme" in ws
    (timeout,) = [d for d in ws if d.startswith("proxy_read_timeout")]
    assert int(re.search(r"(\d+)s?$", timeout).group(1)) >= 3600

    root = directives(nginx_block(text, "location / "))
    assert "proxy_pass http://web" in root
    # A location with its own proxy_set_header inherits none: each sets all it needs. The client
    # address is set, not appended to what the client sent (rate limits count per address).
    for block in (ws, root):
        for header in ("Host $host", "X-Forwarded-For $remote_addr", "X-Forwarded-Proto $scheme"):
            assert f"proxy_set_header {header}" in block

    server = directives(nginx_block(text, "server {"))
    assert any(d.startswith("client_max_body_size") for d in server)


def test_nginx_accepts_the_config(tmp_path):
    if NGINX is None:
        pytest.skip("no nginx binary on this machine (Debian: apt-get install nginx-light)")
    conf = local_nginx_conf(tmp_path, upstream_port=free_port(), listen_port=free_port())
    result = subprocess.run(nginx_argv(tmp_path, conf, "-t"), capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


# --- Dockerfile -------------------------------------------------------------------------


def test_dockerfile():
    instructions = dockerfile_instructions()
    keywords = [kw for kw, _ in instructions]
    assert instructions[0] == ("FROM", "python:3.11-slim")
    assert ("RUN", "pip install -r requirements.txt") in instructions
    (user,) = [args for kw, args in instructions if kw == "USER"]
    assert user not in ("root", "0")
    assert keywords.index("USER") < keywords.index("CMD")
    assert dockerfile_exec_form("CMD") == ["daphne", "-b", ALL_INTERFACES, "-p", "8000", "conference.asgi:application"]
    health = dockerfile_exec_form("HEALTHCHECK")
    assert health[0] == "python" and "http://127.0.0.1:8000/healthz" in health[-1]
    step = dockerfile_collectstatic_step()
    assert "CONFERENCE_SECRET_KEY=" in step and "manage.py collectstatic --noinput" in step
    assert not any(kw == "ENV" and "SECRET_KEY" in args for kw, args in instructions), "no secret in the image"


def test_dockerignore_keeps_local_state_out_and_the_code_in():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".git", ".venv", "var", "deploy"} <= ignored
    assert not {"platform", "manage.py", "requirements.txt", "rooms", "chat", "streaming"} & ignored


# --- platform/ is a source folder, never a package ---------------------------------------


def test_platform_is_not_a_package():
    assert not (ROOT / "platform" / "__init__.py").exists()
    assert not list((ROOT / "platform").glob("*.py")), "platform/ holds packages only"


def test_import_platform_is_the_standard_library(tmp_path):
    # With the image's PYTHONPATH (mapped onto the repository), as every container runs.
    env = Sandbox(tmp_path).env()
    code = "import platform, sysconfig; print(platform.__file__); print(platform.system())"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    path, system = result.stdout.split()
    assert path.startswith(sys.base_prefix) and "site-packages" not in path and str(ROOT) not in path
    assert system == "Linux"


# --- The commands, run here as the containers run them ----------------------------------


def test_settings_read_the_secret_files(tmp_path):
    sandbox = Sandbox(tmp_path)
    code = (
        "from django.conf import settings;"
        "import json;"
        "print(json.dumps([settings.SECRET_KEY, settings.DATABASES['default']['NAME'], settings.REDIS_URL,"
        " settings.DEBUG, str(settings.STATIC_ROOT)]))"
    )
    result = sandbox.run(["python", "-c", code])
    assert result.returncode == 0, result.stderr
    secret_key, db_name, redis_url, debug, static_root = json.loads(result.stdout)
    assert secret_key == (sandbox.secrets / "secret_key").read_text()
    assert db_name == str(tmp_path / "db.sqlite3")
    assert redis_url == f"redis://127.0.0.1:{sandbox.redis_port}/0"
    assert debug is False
    assert static_root.rstrip("/") == str(sandbox.var / "static")

    # Without the secret key file the platform refuses to start.
    env_without = {"CONFERENCE_SECRET_KEY_FILE": ""}
    result = sandbox.run(["python", "-c", "import django; django.setup()"], **env_without)
    assert result.returncode != 0 and "CONFERENCE_SECRET_KEY" in result.stderr


def test_deploy_check_passes_with_the_documented_production_settings(tmp_path):
    production = env_example_production()
    assert production["CONFERENCE_SITE_URL"].startswith("https://")
    result = Sandbox(tmp_path).run(["python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                                   **production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    # The first-try values (plain HTTP) are the ones that warn: HTTPS is what production needs.
    first_try = Sandbox(tmp_path / "first").run(["python", "manage.py", "check", "--deploy"])
    assert "security.W008" in first_try.stdout + first_try.stderr


def test_asgi_application_imports(tmp_path):
    result = Sandbox(tmp_path).run(["python", "-c", "import conference.asgi as a; print(type(a.application).__name__)"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ProtocolTypeRouter"


def test_celery_app_loads(tmp_path):
    sandbox = Sandbox(tmp_path)
    result = sandbox.run(["celery", "-A", "conference", "report"], "worker")
    assert result.returncode == 0, result.stderr
    assert "system:Linux" in result.stdout  # the standard library's platform, not the folder
    assert "ASGI_APPLICATION: 'conference.asgi.application'" in result.stdout
    # The options the compose commands use exist in the pinned versions.
    for args, option in [
        (["celery", "beat", "--help"], "--enable-remote-control"),
        (["celery", "worker", "--help"], "--concurrency"),
        (["daphne", "--help"], "--proxy-headers"),
    ]:
        help_text = sandbox.run(args).stdout
        assert option in help_text, f"{' '.join(args)} has no {option}"


def test_dockerfile_collectstatic_step_works(tmp_path):
    sandbox = Sandbox(tmp_path)
    # The build has no secrets: only the step's own dummy key.
    env = {"CONFERENCE_SECRET_KEY_FILE": "", "CONFERENCE_DATABASE_URL_FILE": ""}
    result = sandbox.run(["sh", "-c", dockerfile_collectstatic_step()], **env)
    assert result.returncode == 0, result.stderr
    assert (sandbox.var / "static" / "staticfiles.json").exists()
    assert (sandbox.var / "static" / "admin").is_dir()


def test_migrate_service_command(tmp_path):
    sandbox = Sandbox(tmp_path)
    result = sandbox.run(argv(service("migrate")["command"]), "migrate", timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "db.sqlite3").exists()
    assert "Demo data" not in result.stdout  # CONFERENCE_LOAD_DEMO=0 in deploy/env.example
    check = sandbox.run(["python", "manage.py", "migrate", "--check"], "migrate")
    assert check.returncode == 0, check.stdout + check.stderr


def test_migrate_service_loads_demo_data_when_asked_and_can_run_again(tmp_path):
    sandbox = Sandbox(tmp_path)
    command = argv(service("migrate")["command"])
    # `docker compose up` runs the migrate service on every start.
    for _ in range(2):
        result = sandbox.run(command, "migrate", timeout=240, CONFERENCE_LOAD_DEMO="1")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Demo data" in result.stdout
