"""The driver program to give ``spark-submit``: the breachscope command line, as a file.

``spark-submit`` runs Python applications given as a ``.py`` file, not a console script,
so this module is that file. ``python -m breachscope.spark.submit --path`` prints where
it is installed::

    spark-submit --master yarn --jars "$JAR" \\
      "$(python -m breachscope.spark.submit --path)" run /cases/acme/case.toml

Under ``spark-submit`` breachscope takes the session spark-submit configured (its
``--master`` and ``--conf`` win); see ``breachscope.spark.session``.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--path"]:
        print(__file__)
        return
    from breachscope.cli import cli

    cli.main(args=args, prog_name="breachscope")


if __name__ == "__main__":  # pragma: no cover
    main()
