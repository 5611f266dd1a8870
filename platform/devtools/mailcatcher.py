"""Local mail catcher for `make run`: an SMTP server (aiosmtpd) that delivers nowhere. It
prints one line per message and keeps it as an .eml file, which any mail program opens
with its HTML part and the .ics attachment.

    python -m devtools.mailcatcher --port 1025 --dir var/mail
"""

import argparse
import email
import email.policy
import re
import time
from datetime import datetime
from pathlib import Path

from aiosmtpd.controller import Controller


class SaveToFolder:
    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        to = ",".join(envelope.rcpt_tos)
        name = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{re.sub(r'[^A-Za-z0-9@.-]', '_', to)[:60]}.eml"
        (self.folder / name).write_bytes(envelope.content)
        subject = str(message.get("Subject", "")).strip()
        print(f"mail to {to}: {subject}  → {self.folder / name}", flush=True)
        return "250 Message accepted"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--dir", type=Path, default=Path("var/mail"))
    args = parser.parse_args()
    controller = Controller(SaveToFolder(args.dir), hostname=args.host, port=args.port)
    controller.start()
    print(f"Mail catcher on {args.host}:{args.port}, saving to {args.dir}/", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
