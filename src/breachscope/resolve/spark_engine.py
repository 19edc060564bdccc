"""The Spark adapter: Splink's Spark backend on a breachscope SparkSession.

The model comes from the same creators as on DuckDB (``model.py``) and is turned into
Spark SQL by Splink itself; a model *saved* from DuckDB is never loaded here, because its
SQL is already in DuckDB's dialect. Jaro-Winkler and Damerau-Levenshtein come from the
similarity jar shipped with Splink, which the session helper puts on the classpath.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pyarrow as pa

from breachscope.resolve.duckdb_engine import DuckDBScorer, sane_model
from breachscope.resolve.model import ModelSpec

log = logging.getLogger(__name__)

_SCHEMA = pa.schema(
    [
        ("unique_id_l", pa.string()),
        ("unique_id_r", pa.string()),
        ("match_probability", pa.float64()),
    ]
)


class SparkScorer:
    """Trains (when the case is big enough) and predicts with Splink's Spark backend.

    ``spark`` is an existing SparkSession; without one, the active session is reused or a
    new one is started on ``$BREACHSCOPE_SPARK_MASTER`` (default ``local[2]``).
    """

    def __init__(self, spark: Any = None, master: str | None = None) -> None:
        from breachscope.spark.session import require_pyspark

        require_pyspark()  # fail at engine choice, before any work, when pyspark is absent
        self._spark = spark
        self.master = master

    @property
    def spark(self) -> Any:
        if self._spark is None:
            from breachscope.spark.session import get_spark_session

            self._spark = get_spark_session(self.master)
        return self._spark

    def score(self, identities: pa.Table, spec: ModelSpec, min_probability: float) -> pa.Table:
        if identities.num_rows < 2:
            return _SCHEMA.empty_table()
        from splink import Linker
        from splink.backends.spark import SparkAPI

        from breachscope.spark.session import is_local

        spark = self.spark
        local = is_local(spark)
        # In one JVM, caching beats writing every intermediate table to Parquet; on a
        # cluster Splink's default (Parquet in the shared checkpoint dir) is the safe one.
        api = SparkAPI(  # type: ignore[no-untyped-call]  # Splink leaves it unannotated
            spark_session=spark,
            break_lineage_method="persist" if local else "parquet",
            num_partitions_on_repartition=2 if local else None,
        )
        # A unique view name per call: one session serves many runs (and many cases).
        name = f"breachscope_identities_{uuid.uuid4().hex[:12]}"
        try:
            people = api.register(spark.createDataFrame(identities), dataset_display_name=name)
            linker = Linker(people, spec.settings, log_level=None)
            if spec.train:
                linker = self._trained(linker, people, spec)
            pred = linker.inference.predict(
                threshold_match_probability=min_probability, warning_mode="never"
            )
            table = (
                pred.as_spark_dataframe()
                .selectExpr(
                    "CAST(unique_id_l AS STRING) AS unique_id_l",
                    "CAST(unique_id_r AS STRING) AS unique_id_r",
                    "CAST(match_probability AS DOUBLE) AS match_probability",
                )
                .toArrow()
            )
        finally:
            spark.catalog.dropTempView(name)
            spark.catalog.clearCache()
        return table.cast(_SCHEMA) if table.num_rows else _SCHEMA.empty_table()

    @staticmethod
    def _trained(linker: Any, people: Any, spec: ModelSpec) -> Any:
        """The same training steps as on DuckDB; the priors when the result is not sane."""
        from splink import Linker

        splink_log = logging.getLogger("splink")
        level = splink_log.level
        splink_log.setLevel(logging.ERROR)
        try:
            DuckDBScorer._train(linker, spec)  # engine-neutral Splink calls
        finally:
            splink_log.setLevel(level)
        if sane_model(linker.misc.save_model_to_json()):
            return linker
        log.warning("trained model failed its sanity check; using the priors")
        return Linker(people, spec.settings, log_level=None)
