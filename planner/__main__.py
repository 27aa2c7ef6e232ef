"""``python -m planner`` runs the command line."""

from planner.cli import main

if __name__ == "__main__":  # worker processes import this module too: they must not run the app
    raise SystemExit(main())
