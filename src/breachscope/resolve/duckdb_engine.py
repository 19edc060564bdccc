"""The DuckDB adapter: Splink on a private in-memory DuckDB, never the case store."""

from __future__ import annotations

import logging
import shutil
import tempfile
from typing import Any

import duckdb
import pyarrow as pa

from breachscope.resolve.model import ModelSpec

log = logging.getLogger(__name__)

_EMPTY = pa.table(
    {
        "unique_id_l": pa.array([], pa.string()),
        "unique_id_r": pa.array([], pa.string()),
        "match_probability": pa.array([], pa.float64()),
    }
)


def sane_model(model: dict[str, Any]) -> bool:
    """A trained model must still say that agreeing is evidence for a match and
    disagreeing evidence against, on every comparison (EM on odd data can invert them)."""
    for comp in model.get("comparisons", []):
        levels = [lv for lv in comp.get("comparison_levels", []) if not lv.get("is_null_level")]
        if len(levels) < 2:
            continue
        first, last = levels[0], levels[-1]
        m1, u1 = first.get("m_probability"), first.get("u_probability")
        m2, u2 = last.get("m_probability"), last.get("u_probability")
        if None in (m1, u1, m2, u2) or not u1 or not u2:
            return False
        if m1 / u1 <= 1.0 or m2 / u2 >= 1.0:
            return False
    return True


# Splink's private DuckDB would otherwise take up to 80 % of RAM for its buffers on top of
# the stage's own Python objects; beyond this it spills joins and sorts to a temp dir.
# At 1 M mentions on a quiet 2-core machine: 1.5 GB gave 3.92–4.00 GiB peak RSS, 1.2 GB
# gives 3.88 GiB in 166 s (bench/resolve_scale.py), same pairs and F1.
DEFAULT_MEMORY_LIMIT = "1200MB"


class DuckDBScorer:
    """Trains (when the case is big enough) and predicts with Splink's DuckDB backend."""

    def __init__(
        self, threads: int | None = None, memory_limit: str | None = DEFAULT_MEMORY_LIMIT
    ) -> None:
        self.threads = threads
        self.memory_limit = memory_limit

    def score(self, identities: pa.Table, spec: ModelSpec, min_probability: float) -> pa.Table:
        if identities.num_rows < 2:
            return _EMPTY
        from splink import DuckDBAPI, Linker

        spill = tempfile.mkdtemp(prefix="breachscope-splink-")
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"SET temp_directory = '{spill}'")
            if self.threads:
                con.execute(f"SET threads = {int(self.threads)}")
            if self.memory_limit:
                con.execute(f"SET memory_limit = '{self.memory_limit}'")
            api = DuckDBAPI(connection=con)
            people = api.register(identities, dataset_display_name="identities")
            linker = Linker(people, spec.settings, log_level=None)
            if spec.train:
                # Splink reports unobserved levels etc. as warnings; training falls back
                # to the priors for those, so keep them out of the user's console.
                splink_log = logging.getLogger("splink")
                level = splink_log.level
                splink_log.setLevel(logging.ERROR)
                try:
                    self._train(linker, spec)
                finally:
                    splink_log.setLevel(level)
                if not sane_model(linker.misc.save_model_to_json()):
                    log.warning("trained model failed its sanity check; using the priors")
                    linker = Linker(people, spec.settings, log_level=None)
            pred = linker.inference.predict(
                threshold_match_probability=min_probability, warning_mode="never"
            )
            out = con.execute(
                "SELECT CAST(unique_id_l AS VARCHAR) AS unique_id_l, "
                "CAST(unique_id_r AS VARCHAR) AS unique_id_r, match_probability "
                f"FROM {pred.physical_name}"
            ).to_arrow_table()
            return out
        finally:
            con.close()
            shutil.rmtree(spill, ignore_errors=True)

    @staticmethod
    def _train(linker: object, spec: ModelSpec) -> None:
        """u by random sampling, m by EM; on any failure the priors stand."""
        training = linker.training  # type: ignore[attr-defined]
        try:
            training.estimate_u_using_random_sampling(
                max_pairs=min(2e6, max(1e5, spec.n_records * 20.0)), seed=7
            )
        except Exception as exc:  # training is an improvement, never a reason to fail
            log.warning("u estimation skipped: %s", type(exc).__name__)
        for rule in spec.training_rules:
            try:
                training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True, max_pairs=2e6
                )
            except Exception as exc:
                log.warning("EM session skipped: %s", type(exc).__name__)
