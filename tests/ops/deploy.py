"""Read docker-compose.yml, the Dockerfile and deploy/, and run their commands outside Docker.

There is no Docker engine on the development machines, so the deployment files are checked
by parsing them and by running the very commands they contain on the host: the image's
paths (/app, /app/var, /run/secrets) are mapped onto the repository and a temporary
directory, the service host names (redis, web) onto local servers.
"""

from __future__ import annotations

import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import yaml

from tests.fixtures.servers import free_port, port_open, wait_for

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
ENV_EXAMPLE = ROOT / "deploy" / "env.example"
MAKE_SECRETS = ROOT / "deploy" / "make-secrets.sh"
VENV_BIN = Path(sys.executable).parent
PLATFORM_SERVICES = ("migrate", "web", "worker", "beat")


def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def service(name: str) -> dict:
    return compose()["services"][name]


def argv(command) -> list[str]:
    """A compose `command` or healthcheck `test` as an argument list, `$$` unescaped
    (compose turns `$$` into a literal `$` for the container)."""
    if isinstance(command, str):
        command = shlex.split(command)
    return [part.replace("$$", "$") for part in command]


def healthcheck_argv(test) -> list[str]:
    """A healthcheck `test` as the argument list Docker would run."""
    if isinstance(test, str):
        return ["sh", "-c", test.replace("$$", "$")]
    kind, *rest = test
    if kind == "CMD-SHELL":
        return ["sh", "-c", " ".join(rest).replace("$$", "$")]
    assert kind == "CMD", f"unexpected healthcheck form {test!r}"
    return argv(rest)


# --- Dockerfile -------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    current = ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        keyword, _, arguments = current.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        current = ""
    return instructions


def dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, arguments in dockerfile_instructions():
        if keyword == "ENV":
            for pair in shlex.split(arguments):
                key, _, value = pair.partition("=")
                env[key] = value
    return env


def dockerfile_exec_form(keyword: str) -> list[str]:
    import json

    (arguments,) = [args for kw, args in dockerfile_instructions() if kw == keyword]
    if keyword == "HEALTHCHECK":
        arguments = arguments[arguments.index("CMD ") + len("CMD ") :]
    return json.loads(arguments)


def dockerfile_collectstatic_step() -> str:
    """The part of the RUN step that collects the static files, as a shell command."""
    for keyword, arguments in dockerfile_instructions():
        if keyword == "RUN" and "collectstatic" in arguments:
            (step,) = [part.strip() for part in arguments.split("&&") if "collectstatic" in part]
            return step
    raise AssertionError("no RUN step runs collectstatic")


# --- deploy/env.example -----------------------------------------------------------------


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def env_example_production() -> dict[str, str]:
    """The production block at the end of deploy/env.example (commented out there)."""
    text = ENV_EXAMPLE.read_text()
    block = text[text.index("# --- Production"):]
    values = {}
    for line in block.splitlines():
        line = line.removeprefix("#").strip()
        if line.startswith("CONFERENCE_") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


# --- The container environment, mapped onto this machine --------------------------------


class Sandbox:
    """Where the image's paths land on this machine for one test run."""

    def __init__(self, tmp: Path, redis_port: int | None = None):
        self.tmp = tmp
        self.var = tmp / "var"
        self.secrets = tmp / "secrets"
        self.redis_port = redis_port or free_port()  # a closed port when no Redis runs
        for sub in ("static", "media", "beat"):
            (self.var / sub).mkdir(parents=True, exist_ok=True)
        self.secrets.mkdir(exist_ok=True)
        # As deploy/make-secrets.sh writes them (no trailing newline), but SQLite here.
        (self.secrets / "secret_key").write_text(secrets.token_hex(48))
        (self.secrets / "database_url").write_text(f"sqlite:///{tmp / 'db.sqlite3'}")

    def path(self, value: str) -> str:
        """Map a path inside the container onto this machine."""
        if value.startswith("/app/var"):
            return str(self.var) + value[len("/app/var") :]
        if value.startswith("/app"):
            return str(ROOT) + value[len("/app") :]
        if value.startswith("/run/secrets/"):
            return str(self.secrets / value[len("/run/secrets/") :])
        return value

    def value(self, key: str, value: str) -> str:
        if key == "PYTHONPATH":
            return ":".join(self.path(part) for part in value.split(":"))
        value = value.replace("redis://redis:6379", f"redis://127.0.0.1:{self.redis_port}")
        return self.path(value)

    def env(self, service_name: str = "web", **extra: str) -> dict[str, str]:
        """The environment a container of `service_name` gets, in Docker's order of
        precedence: the image's ENV, then env_file (deploy/env, copied from
        deploy/env.example), then the service's `environment`."""
        spec = service(service_name)
        env = {
            "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.tmp),
            "LANG": "C.UTF-8",
            "HOSTNAME": socket.gethostname(),  # Docker sets it; the Celery health checks use it
        }
        for key, value in dockerfile_env().items():
            env[key] = self.value(key, value)
        assert spec["env_file"] in ("deploy/env", ["deploy/env"]), spec["env_file"]
        env.update(env_example())
        for key, value in (spec.get("environment") or {}).items():
            env[key] = self.value(key, str(value))
        env.update(extra)
        return env

    def run(self, args: list[str], service_name: str = "web", timeout: float = 120, **extra: str):
        """Run a command as the container would: cwd /app (the repository), its environment."""
        return subprocess.run(
            args, cwd=ROOT, env=self.env(service_name, **extra), capture_output=True, text=True, timeout=timeout
        )


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = 30) -> None:
    wait_for(lambda: port_open(port), f"a server on port {port}", timeout, process)


# --- nginx ------------------------------------------------------------------------------

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def local_nginx_conf(tmp: Path, *, upstream_port: int, listen_port: int) -> Path:
    """deploy/nginx.conf made runnable here by anyone: the upstream `web` (a compose
    service name, which does not resolve here) becomes 127.0.0.1, and the pid file, logs
    and temporary files go to `tmp`. Everything else is the file as deployed."""
    text = NGINX_CONF.read_text()
    replacements = [
        (r"server web:8000\b", f"server 127.0.0.1:{upstream_port}"),
        (r"^pid [^;]+;", f"pid {tmp}/nginx.pid;"),
        (r"^error_log /dev/stderr", f"error_log {tmp}/error.log"),
        (r"access_log /dev/stdout;", f"access_log {tmp}/access.log;"),
        (r"listen 80;", f"listen 127.0.0.1:{listen_port};"),
        (
            r"^http \{",
            "http {\n"
            + "".join(
                f"    {kind}_temp_path {tmp}/{kind}_temp;\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            ),
        ),
    ]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
        assert count == 1, f"deploy/nginx.conf changed shape: {pattern!r} matched {count} times"
    conf = tmp / "nginx.conf"
    conf.write_text(text)
    return conf


def nginx_argv(tmp: Path, conf: Path, *more: str) -> list[str]:
    assert NGINX
    return [NGINX, "-p", f"{tmp}/", "-c", str(conf), "-e", f"{tmp}/error.log", *more]
