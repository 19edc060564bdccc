"""A SparkSession for breachscope: local by default, a cluster when configured.

pyspark is an optional extra, so everything here imports it lazily and turns its absence
(or a missing Java) into a ``BreachscopeError`` with a hint.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from typing import Any

from breachscope.errors import BreachscopeError

MASTER_ENV = "BREACHSCOPE_SPARK_MASTER"
CHECKPOINT_ENV = "BREACHSCOPE_SPARK_CHECKPOINT_DIR"
DEFAULT_MASTER = "local[2]"
# A local session serves cases that fit one machine, which are small for Spark: there the
# per-query overheads (code generation, adaptive re-planning, JIT warm-up, many tiny
# tasks) dominate, so they are turned down. Measured on the 150-person test case: first
# Splink run 50 s -> 20 s, JVM start 22 s -> 13 s. A cluster keeps its own defaults.
LOCAL_CONF: dict[str, str] = {
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "4",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.adaptive.enabled": "false",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    # Local mode needs no network beyond the loopback interface.
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}
_INSTALL_HINT = "install the extra: pip install 'breachscope[spark]' (or uv sync --all-extras)"


class SparkUnavailable(BreachscopeError):
    """pyspark or Java is missing, so the Spark engine cannot start."""


def require_pyspark() -> Any:
    """The ``pyspark`` module, or a clear error saying how to get it."""
    try:
        import pyspark
    except ImportError as exc:
        raise SparkUnavailable("the Spark engine needs pyspark", hint=_INSTALL_HINT) from exc
    return pyspark


def java_available() -> bool:
    """Whether a JVM can be found (JAVA_HOME or ``java`` on PATH)."""
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "java")):
        return True
    return shutil.which("java") is not None


def submitted() -> bool:
    """Whether ``spark-submit`` started this process (it then hands pyspark the port of the
    JVM it launched, whose configuration carries ``--master`` and ``--conf``)."""
    return bool(os.environ.get("PYSPARK_GATEWAY_PORT"))


def spark_master() -> str:
    """The master URL: ``$BREACHSCOPE_SPARK_MASTER`` or ``local[2]``."""
    return os.environ.get(MASTER_ENV, "").strip() or DEFAULT_MASTER


def get_spark_session(master: str | None = None, *, app_name: str = "breachscope") -> Any:
    """The active SparkSession, or a new one built for breachscope.

    A session that already exists (a notebook) is reused as it is, and under
    ``spark-submit`` the session is built from what spark-submit was given: the cluster's
    own configuration wins. A new local session is kept small (few shuffle
    partitions, no UI, bound to localhost) and gets Splink's similarity UDF jar and a
    private checkpoint directory that is removed when the process exits.
    """
    require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        _ensure_checkpoint_dir(active)
        return active
    if master is None and submitted() and not os.environ.get(MASTER_ENV, "").strip():
        # spark-submit started this process and its JVM: the session it configured
        # (--master, --conf, --jars) is the one to use, untouched.
        spark = SparkSession.builder.appName(app_name).getOrCreate()
        _ensure_checkpoint_dir(spark)
        return spark
    if not java_available():
        raise SparkUnavailable(
            "the Spark engine needs Java 17 or later",
            hint="install a JDK (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME",
        )
    from splink.backends.spark import similarity_jar_location

    url = master or spark_master()
    if url.startswith("local"):
        # Local mode needs no network beyond the loopback interface.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # Python workers must be this interpreter (the one with breachscope installed),
        # not whatever ``python3`` is first on PATH.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.appName(app_name)
        .master(url)
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    if url.startswith("local"):
        for key, value in LOCAL_CONF.items():
            builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # py4j / JVM start-up failures have many types
        raise SparkUnavailable(
            f"could not start Spark on '{url}': {type(exc).__name__}",
            hint=f"check Java and {MASTER_ENV}",
        ) from exc
    spark.sparkContext.setLogLevel("ERROR")
    _ensure_checkpoint_dir(spark)
    return spark


def is_local(spark: Any) -> bool:
    """Whether the session runs in one JVM (``local[...]``), not on a cluster."""
    return str(spark.sparkContext.master).startswith("local")


def _ensure_checkpoint_dir(spark: Any) -> None:
    """Splink breaks long lineages by writing Parquet to the checkpoint directory.

    On a cluster that directory must be shared storage every executor can reach, so it
    comes from ``$BREACHSCOPE_SPARK_CHECKPOINT_DIR`` (or the cluster's own setting); a
    local session gets a private temporary directory, removed when the process exits.
    """
    sc = spark.sparkContext
    if not sc._jsc.sc().getCheckpointDir().isEmpty():
        return
    configured = os.environ.get(CHECKPOINT_ENV, "").strip()
    if configured:
        sc.setCheckpointDir(configured)
        return
    path = tempfile.mkdtemp(prefix="breachscope-spark-ckpt-")
    atexit.register(shutil.rmtree, path, True)
    sc.setCheckpointDir(path)
