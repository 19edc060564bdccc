"""Spark support: a session helper and distributed maps. pyspark is imported lazily."""

from breachscope.spark.session import (
    MASTER_ENV,
    SparkUnavailable,
    get_spark_session,
    java_available,
    spark_master,
)

__all__ = ["MASTER_ENV", "SparkUnavailable", "get_spark_session", "java_available", "spark_master"]
