"""One module per format family. See :mod:`breachscope.ingest.registry`."""
