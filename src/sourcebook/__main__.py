"""`python -m sourcebook`: the same command line as `sourcebook`."""
import sys

from .cli import main

sys.exit(main())
