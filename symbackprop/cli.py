"""Command line: `symbackprop derive SPEC` and `symbackprop train SPEC --steps N`.

Exit status: 0 on success, 2 for unusable input (one line on stderr naming the file and the key).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .derive import derive
from .errors import SpecError
from .network import Network
from .numbers import Format
from .render import derivation_json, derivation_text, training_json, training_text
from .train import train


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symbackprop",
        description="Exact, printable backpropagation derivations for small feed-forward networks.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    d = sub.add_parser("derive", help="derive every parameter's gradient, step by step, with numbers")
    d.add_argument("spec", help="network spec (TOML)")
    d.add_argument("--format", choices=["text", "json"], default="text")
    group = d.add_mutually_exclusive_group()
    group.add_argument("--decimals", type=int, help="display numbers with this many decimals")
    group.add_argument("--digits", type=int, help="display numbers with this many significant digits")
    d.add_argument("--max-paths", type=int, help="expand the path sum only up to this many paths")
    d.add_argument("-o", "--output", help="write to this file instead of standard output")

    t = sub.add_parser("train", help="full-batch gradient descent for N steps")
    t.add_argument("spec", help="network spec (TOML)")
    t.add_argument("--steps", type=int, default=100, help="number of steps (default 100)")
    t.add_argument("--format", choices=["text", "json"], default="json")
    t.add_argument("-o", "--output", help="write to this file instead of standard output")
    return parser


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot write the output ({exc.strerror})", source=output) from None


def run(args: argparse.Namespace) -> int:
    network = Network.load(args.spec)
    if args.command == "derive":
        for flag in ("decimals", "digits", "max_paths"):
            value = getattr(args, flag)
            if value is not None and value < (0 if flag == "decimals" else 1):
                raise SpecError(f"expected a positive integer, got {value}", key=f"--{flag.replace('_', '-')}")
        d = derive(network, max_paths=args.max_paths)
        if args.format == "json":
            _write(json.dumps(derivation_json(d), ensure_ascii=False, indent=2) + "\n", args.output)
        else:
            form = None
            if args.decimals is not None or args.digits is not None:
                form = Format(decimals=args.decimals, digits=args.digits)
            _write(derivation_text(d, form), args.output)
    else:
        result = train(network, args.steps)
        if args.format == "json":
            _write(json.dumps(training_json(result), indent=2) + "\n", args.output)
        else:
            _write(training_text(result), args.output)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return run(args)
    except SpecError as exc:
        print(f"symbackprop: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symbackprop: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
