"""Provides `python -m citizen`, the same as the `citizen` command."""

from citizen.cli import main

raise SystemExit(main())
