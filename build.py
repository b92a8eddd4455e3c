#!/usr/bin/env python3
"""Build the sourcebook site: `python build.py [command]`; see `python build.py --help`."""
import sys

from sourcebook.cli import main

if __name__ == "__main__":
    sys.exit(main())
