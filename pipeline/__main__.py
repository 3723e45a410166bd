"""`python -m pipeline` is the same as the `ripple` command."""

from pipeline.cli import main

main()
