"""Command line: `symbackprop derive SPEC`, `symbackprop render SPEC` and `symbackprop train SPEC --steps N`.

Exit status: 0 on success, 2 for unusable input (one line on stderr naming the file and the key).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from .backward import derive_circuit
from .circuit import Circuit, load_model
from .derive import derive
from .errors import SpecError
from .files import one_line, printable, refuse_inputs, write_stdout, write_text
from .limits import MAX_DECIMALS, MAX_DIGITS, MAX_ITERATIONS, MAX_JOBS, MAX_PATHS, MAX_TIME_LIMIT
from .network import Network
from .numbers import Format
from .recurrent import recurrent_network, recurrent_spec
from .render import derivation_json, derivation_text, training_json, training_text
from .render.circuit_lecture import render_circuit, render_circuit_files
from .render.circuit_out import circuit_json, circuit_text
from .render.compile import SECONDS_PER_PAGE, compile_pdf, estimated_pages
from .render.document import figure_file, render, render_files
from .render.formats import FORMATS, OutputFormat, RenderOptions
from .render.recurrent_out import recurrent_json, recurrent_text
from .render.tex import LANGUAGES
from .train import train


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symbackprop",
        description="Exact, printable backpropagation derivations for small feed-forward networks.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    d = sub.add_parser("derive", help="derive every parameter's gradient, step by step, with numbers")
    d.add_argument("spec", help="network spec (TOML)")
    d.add_argument("--format", choices=["text", "json"], default="text")
    d.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the text's headings (default en)")
    _display_options(d)
    _number_options(d)
    d.add_argument("-o", "--output", help="write to this file instead of standard output")
    _as_graph_option(d)

    r = sub.add_parser("render", help="the derivation as Beamer slides, an article, align* snippets or Markdown")
    r.add_argument("spec", help="network spec (TOML)")
    r.add_argument("--format", choices=list(FORMATS), default="beamer")
    r.add_argument("--lang", choices=LANGUAGES, default="zh", help="language of headings and prose (default zh)")
    r.add_argument("-o", "--output", help="write to this file (default: standard output; needed with --pdf)")
    r.add_argument("--pdf", action="store_true", help="also compile OUTPUT with latexmk and xelatex")
    _number_options(r)
    r.add_argument("--iterations", type=int, default=0, help="add a table of the loss over N more iterations")
    r.add_argument("--no-figures", action="store_true", help="leave out the network drawings")
    r.add_argument("--title", help="document title (default: the spec's title)")
    r.add_argument("--full", action="store_true",
                   help="the exhaustive lecture: every parameter's gradient on its own frames")
    r.add_argument("--exercise", action="store_true",
                   help="a class exercise after the summary (as seed 002): the network with the updated parameters "
                        "rounded to 4 decimals, the questions, then the answers")
    r.add_argument("--show", metavar="NAMES",
                   help="comma-separated parameters (spec names) worked in full in the default lecture (default: "
                        "the first output-layer and the first hidden-layer weight), e.g. --show w5,w1")
    _display_options(r)
    _as_graph_option(r)

    c = sub.add_parser("check", help="judge a hand derivation (answers TOML), or a directory of them (a class)")
    c.add_argument("paths", nargs="+", metavar="[SPEC] ANSWERS|DIR",
                   help="answers file (its `spec` key names the network) or SPEC then an answers file or directory")
    c.add_argument("--format", choices=["text", "json", "latex"], default="text")
    c.add_argument("--lang", choices=LANGUAGES, default="en", help="language of every message (text, JSON, sheet)")
    c.add_argument("-o", "--output", help="write to this file instead of standard output")
    c.add_argument("--pdf", action="store_true", help="with --format latex -o OUT.tex: compile the sheet")
    c.add_argument("--csv", help="directory mode: write the per-question summary as CSV to this file")
    c.add_argument("--jobs", type=int, default=2, help="directory mode: files checked in parallel (default 2)")
    c.add_argument("--time-limit", type=float, default=10.0, help="seconds allowed per answer (default 10)")

    t = sub.add_parser("train", help="gradient descent for N updates or epochs, as the spec's [training] says")
    t.add_argument("spec", help="network spec (TOML)")
    length = t.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int, help="number of updates (default 100)")
    length.add_argument("--epochs", type=int, help="number of passes over the samples (the spec's [training] "
                                                   "says how many updates a pass makes)")
    t.add_argument("--format", choices=["text", "json"], default="json")
    t.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the text (default en)")
    t.add_argument("-o", "--output", help="write to this file instead of standard output")
    return parser


def _display_options(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--decimals", type=int, help="display numbers with this many decimals")
    group.add_argument("--digits", type=int, help="display numbers with this many significant digits")
    p.add_argument("--max-paths", type=int, help="expand the path sum only up to this many paths")


def _as_graph_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-graph", action="store_true",
                   help="a layered spec shown as its graph: upstream × local at every net input and output")


def _number_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mul", choices=["dot", "times", "none"], default="dot",
                   help="multiplication sign: · (dot), × (times) or none (juxtaposition)")
    p.add_argument("--rounded", action="store_true",
                   help="round intermediate numbers before using them, as a hand calculation does")


def _rounded(args: argparse.Namespace, network: Network) -> bool:
    """--rounded, or a spec whose [training] rounding = N asks for hand rounding everywhere (the issue's contract)."""
    return bool(args.rounded) or network.spec.training.rounding is not None


_INTEGER_OPTIONS = {  # option -> (least, most); --steps and --epochs are bounded by train() (updates × parameters)
    "decimals": (0, MAX_DECIMALS), "digits": (1, MAX_DIGITS), "max_paths": (1, MAX_PATHS),
    "iterations": (0, MAX_ITERATIONS), "steps": (0, None), "epochs": (0, None), "jobs": (1, MAX_JOBS),
}


def _check_options(args: argparse.Namespace) -> None:
    """Every numeric option within its limit, every path non-empty and the title one printable line, before any
    work starts."""
    for flag, (least, most) in _INTEGER_OPTIONS.items():
        value = getattr(args, flag, None)
        if value is not None and (value < least or (most is not None and value > most)):
            expected = f"an integer from {least} to {most}" if most is not None else f"an integer >= {least}"
            raise SpecError(f"expected {expected}, got {value}", key=f"--{flag.replace('_', '-')}")
    limit = getattr(args, "time_limit", None)
    if limit is not None and not (math.isfinite(limit) and 0 < limit <= MAX_TIME_LIMIT):
        raise SpecError(f"expected a number of seconds above 0 and at most {MAX_TIME_LIMIT:g}, got {limit:g}",
                        key="--time-limit")
    for flag in ("output", "csv", "spec"):
        value = getattr(args, flag, None)
        if value is not None and not value.strip():
            raise SpecError("expected a file name, got an empty string", key="SPEC" if flag == "spec" else f"--{flag}")
    for path in getattr(args, "paths", None) or []:
        if not path.strip():
            raise SpecError("expected a file or directory name, got an empty string", key="check")
    if getattr(args, "title", None) is not None:
        one_line(args.title, "--title")


def _form(args: argparse.Namespace) -> Format | None:
    if args.decimals is None and args.digits is None:
        return None
    return Format(decimals=args.decimals, digits=args.digits)


def _inputs(args: argparse.Namespace) -> list[str]:
    return [p for p in (getattr(args, "spec", None), *(getattr(args, "paths", None) or [])) if p]


def _write(text: str, output: str | None, args: argparse.Namespace, *, terminal: bool = False) -> None:
    """Standard output, or a file written whole (never over an input). `terminal`: plain text, whose control
    characters are made visible (JSON escapes its own; LaTeX has none)."""
    text = printable(text) if terminal else text
    if output is None:
        write_stdout(text)
    else:
        write_text(output, text, key="--csv" if output == getattr(args, "csv", None) else "--output",
                   inputs=_inputs(args))


def _refuse_writing_over_inputs(args: argparse.Namespace) -> None:
    """An output (and a Markdown file's figure beside it) must not be one of the files read: said before any work
    starts (write_text holds to it too, for every file it writes)."""
    outputs = [out for out in (getattr(args, "output", None), getattr(args, "csv", None)) if out is not None]
    if args.command == "render" and args.format == "markdown" and args.output and not args.no_figures:
        outputs.append(str(figure_file(Path(args.output))))
    refuse_inputs(outputs, _inputs(args))


def run(args: argparse.Namespace) -> int:
    _check_options(args)
    _refuse_writing_over_inputs(args)
    if args.command == "check":
        return _check(args)
    model = load_model(args.spec)
    if getattr(args, "as_graph", False) and isinstance(model, Network):
        from .as_graph import circuit_of

        model = circuit_of(model)
    if isinstance(model, Circuit):
        return _circuit(model, args)
    network = model
    if network.spec.training.rule == "perceptron":
        return _perceptron(network, args)
    if args.command == "derive":
        form = _form(args)
        d = derive(network, max_paths=args.max_paths)
        if args.format == "json":
            _write(json.dumps(derivation_json(d), ensure_ascii=False, indent=2) + "\n", args.output, args)
        else:
            _write(derivation_text(d, form, rounded=_rounded(args, network), mul=args.mul, lang=args.lang),
                   args.output, args, terminal=True)
    elif args.command == "render":
        return _render(network, args)
    else:
        result = train(network, args.steps, epochs=args.epochs) if args.epochs is not None or args.steps is not None \
            else train(network, 100)
        if args.format == "json":
            _write(json.dumps(training_json(result), indent=2) + "\n", args.output, args)
        else:
            _write(training_text(result, args.lang), args.output, args, terminal=True)
    return 0


def _perceptron(network: Network, args: argparse.Namespace) -> int:
    """[training] rule = "perceptron": derive and train print the rule's table, render typesets it."""
    from .perceptron import learn
    from .render.perceptron_out import perceptron_json, perceptron_text, render_perceptron

    if args.command == "train" and args.steps is not None:
        raise SpecError("the perceptron rule runs whole epochs until one has no error; expected --epochs N (the "
                        "most epochs), not --steps", key="--steps")
    epochs = getattr(args, "epochs", None)
    run = learn(network, epochs)
    if args.command == "render":
        fmt = _document_format(args)
        opts = RenderOptions(lang=args.lang, title=args.title)
        _write(render_perceptron(run, fmt.name, opts), args.output, args)
        if args.pdf:
            _compile(Path(args.output))
    elif args.format == "json":
        _write(json.dumps(perceptron_json(run), ensure_ascii=False, indent=2) + "\n", args.output, args)
    else:
        _write(perceptron_text(run, args.lang, epochs), args.output, args, terminal=True)
    return 0


def _circuit(c: Circuit, args: argparse.Namespace) -> int:
    """A graph spec ([graph]): each command has its own function."""
    return {"derive": _circuit_derive, "render": _circuit_render, "train": _circuit_train}[args.command](c, args)


def _circuit_derive(c: Circuit, args: argparse.Namespace) -> int:
    """The forward pass, upstream × local for every node, the gradients of every leaf and the updates."""
    d = derive_circuit(c)
    as_json, as_text = (recurrent_json, recurrent_text) if recurrent_spec(c) else (circuit_json, circuit_text)
    if args.format == "json":
        _write(json.dumps(as_json(d), ensure_ascii=False, indent=2) + "\n", args.output, args)
    else:
        _write(as_text(d, _form(args), lang=args.lang), args.output, args, terminal=True)
    return 0


def _circuit_render(c: Circuit, args: argparse.Namespace) -> int:
    """The lecture of a circuit: Beamer, article, align* snippets or Markdown (its SVG figure beside it), --pdf."""
    several = recurrent_network(c)
    if several is not None and several.several and (args.format != "markdown" or args.pdf):
        raise SpecError("a recurrent network of several sequences is rendered as its unrolled circuit, in Markdown "
                        "only (--format markdown, no --pdf): its TeX lecture would overflow its frames",
                        key="--format", source=c.spec.source)
    if recurrent_spec(c) is not None:  # backpropagation through time: its own lecture (recurrent_lecture.py)
        from .render.recurrent_lecture import render_recurrent

        rfmt = _document_format(args)
        ropts = RenderOptions(lang=args.lang, form=_form(args), title=args.title, figures=not args.no_figures)
        _write(render_recurrent(derive_circuit(c), rfmt, ropts), args.output, args)
        if args.pdf:
            _compile(Path(args.output))
        return 0
    fmt = _document_format(args)
    ignored = [f"--{k}" for k in ("iterations", "full", "exercise", "show", "rounded", "max_paths")
               if getattr(args, k, None) not in (None, False, 0)]
    if args.mul != "dot":
        ignored.append("--mul")
    if ignored:
        print(f"symbackprop: note: {', '.join(ignored)} {'is' if len(ignored) == 1 else 'are'} for layered specs; "
              "ignored for a graph spec", file=sys.stderr)
    d = derive_circuit(c)
    opts = RenderOptions(lang=args.lang, form=_form(args), title=args.title, figures=not args.no_figures)
    if args.output is None:
        _write(render_circuit(d, fmt, opts), None, args)
    else:
        for path, text in render_circuit_files(d, args.output, fmt, opts).items():
            _write(text, str(path), args)
    if args.pdf:
        _compile(Path(args.output))
    return 0



def _circuit_train(c: Circuit, args: argparse.Namespace) -> int:
    """Gradient descent on the circuit's parameters, compiled (circuit_numeric.py); the layered train's JSON."""
    from .circuit_numeric import train_circuit

    result = train_circuit(c, args.steps, epochs=args.epochs) if args.epochs is not None or args.steps is not None \
        else train_circuit(c, 100)
    if args.format == "json":
        data = training_json(result)
        data["output_name"] = c.quantities[c.output].name
        data["batch_loss"] = c.spec.batch_loss
        _write(json.dumps(data, indent=2) + "\n", args.output, args)
    else:
        _write(training_text(result, args.lang), args.output, args, terminal=True)
    return 0


def _document_format(args: argparse.Namespace) -> OutputFormat:
    """render's --format, checked against --pdf (which needs -o OUT.tex and a document format)."""
    fmt = FORMATS[args.format]
    if args.pdf and (args.output is None or not fmt.figures):
        documents = " or ".join(f.name for f in FORMATS.values() if f.figures)
        raise SpecError(f"--pdf needs -o OUT.tex and a document format ({documents})", key="--pdf")
    return fmt


def _render(network: Network, args: argparse.Namespace) -> int:
    fmt = _document_format(args)
    d = derive(network, max_paths=args.max_paths)
    opts = RenderOptions(lang=args.lang, form=_form(args), mul=args.mul, rounded=_rounded(args, network),
                         iterations=args.iterations, title=args.title, figures=not args.no_figures, full=args.full,
                         show=args.show, exercise=args.exercise)
    if args.output is None:
        _write(render(d, fmt, opts=opts), None, args)
    else:  # Markdown's figure goes beside it, as name.svg
        for path, text in render_files(d, args.output, fmt, opts=opts).items():
            _write(text, str(path), args)
    if args.pdf:
        _compile(Path(args.output))
    return 0


def _compile(tex: Path) -> None:
    """Compile, saying first how long a large document will take (Ctrl-C stops TeX too)."""
    pages = estimated_pages(tex)
    if pages > 50:
        print(f"symbackprop: compiling about {pages} pages, about {max(1, round(pages * SECONDS_PER_PAGE / 60))} "
              "min (Ctrl-C stops it)", file=sys.stderr)
    compiled = compile_pdf(tex, timeout=max(300.0, 4 * pages * SECONDS_PER_PAGE))
    print(f"symbackprop: wrote {printable(str(compiled.pdf))}", file=sys.stderr)
    for box in (*compiled.overfull, *compiled.shrunk, *compiled.overflow):
        print(f"symbackprop: warning: {box}", file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    """Exit 0 when every answer is correct, 1 when any is not, 2 for unusable input."""
    from .check.answers import load_answers
    from .check.batch import check_directory, summary, summary_csv
    from .check.circuit_check import check_model
    from .check.report import class_feedback_tex, feedback_tex, result_json, result_text

    if len(args.paths) > 2:
        raise SpecError(f"expected [SPEC] ANSWERS|DIR, got {len(args.paths)} paths", key="check")
    if args.pdf and (args.format != "latex" or args.output is None):
        raise SpecError("--pdf needs --format latex and -o OUT.tex", key="--pdf")
    target = Path(args.paths[-1])
    spec = Path(args.paths[0]) if len(args.paths) == 2 else None
    if target.is_dir():
        if spec is None:
            raise SpecError("a directory of answers needs the network spec first: check SPEC DIR",
                            source=printable(str(target)))
        results = check_directory(spec, target, args.jobs, args.time_limit, args.lang)
        s = summary(results)
        if args.csv:
            _write(summary_csv(s), args.csv, args)
        if args.format == "json":
            _write(json.dumps(s, ensure_ascii=False, indent=2) + "\n", args.output, args)
        elif args.format == "latex":
            _write(class_feedback_tex(s["results"], args.lang), args.output, args)
        else:
            _write(_class_text(s), args.output, args, terminal=True)
        if args.pdf:
            _compile(Path(args.output))
        everyone = all(r.result is not None and r.result["summary"]["all_correct"] for r in results)
        return 0 if everyone else 1
    answers = load_answers(target, own_spec=spec is None)
    if answers.ignored_spec is not None:
        print(f"symbackprop: note: {printable(str(target))}: its spec = {answers.ignored_spec!r} is ignored; "
              f"checked against {printable(str(spec))}", file=sys.stderr)
    spec = spec or answers.spec
    if spec is None:
        raise SpecError("no network spec: give it first (check SPEC ANSWERS) or as `spec = ...` in the file",
                        source=printable(str(target)))
    result = check_model(load_model(spec), answers, args.time_limit, args.lang)
    if args.format == "json":
        _write(json.dumps(result_json(result), ensure_ascii=False, indent=2) + "\n", args.output, args)
    elif args.format == "latex":
        _write(feedback_tex(result, args.lang), args.output, args)
        if args.pdf:
            _compile(Path(args.output))
    else:
        _write(result_text(result, args.lang), args.output, args, terminal=True)
    return 0 if result.all_correct else 1


def _class_text(s: dict) -> str:
    lines = [f"{q['question']} ({q['quantity']}): {q['correct']}/{q['students']} correct"
             + "".join(f", {q[k]} {k}" for k in ("incorrect", "unparseable", "refused") if q[k])
             + (f"; diagnoses: {', '.join(f'{k} ×{n}' for k, n in q['diagnoses'].items())}" if q["diagnoses"] else "")
             for q in s["questions"]]
    lines += [f"id and quantity disagree: {m['message']}" for m in s.get("mismatched", [])]
    lines += [f"unreadable: {u['error']}" for u in s["unreadable"]]
    lines += [f"note: {r['file']}: {r['note']}" for r in s["results"] if r.get("note")]
    return "\n".join(lines) + "\n"


_MAIN_PID = os.getpid()


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM (a closed terminal, a killed job) unwinds like Ctrl-C, so that TeX and class workers are stopped;
    a worker forked from us (a class's checker) that inherited this handler just ends, as by default."""
    if os.getpid() != _MAIN_PID:
        os._exit(128 + signum)
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    args = _parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _terminate) if _main_thread() else None
    try:
        return run(args)
    except SpecError as exc:
        message = printable(exc.say(getattr(args, "lang", "en")))
        print(f"symbackprop: error: {message if len(message) <= 3000 else message[:3000] + ' …'}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symbackprop: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print("symbackprop: error: out of memory; the input is too large for this machine (see the limits in "
              "the README)", file=sys.stderr)
        return 2
    except RecursionError:
        print("symbackprop: error: the input is nested too deeply to be processed", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug of ours: one line, never a traceback (the tests treat it as a failure)
        print(f"symbackprop: internal error: {type(exc).__name__}: {printable(str(exc))[:500]} (please report it "
              "with the input that caused it)", file=sys.stderr)
        return 2
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main_thread() -> bool:
    import threading
    return threading.current_thread() is threading.main_thread()


if __name__ == "__main__":
    sys.exit(main())
