"""Subcommands of the `dvc-desk` command line, one module per noun."""
