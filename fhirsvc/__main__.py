"""``python -m fhirsvc``: the same command line as the ``fhirsvc`` script."""

from fhirsvc.cli import main

raise SystemExit(main())
