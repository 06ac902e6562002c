"""One module per subcommand: each has `add_parser(subparsers)` and `run(args, out) -> int`."""

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
