#!/usr/bin/env python
"""Django's command-line utility.

`platform/` is a source folder, not a package (a package named `platform`
would shadow the standard library), so it is put on sys.path here.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "platform"))
sys.path.insert(1, str(ROOT))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
