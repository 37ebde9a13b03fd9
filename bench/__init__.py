"""The benchmark suite behind `make bench` / `make bench-quick`. Not part of the test suite.

Every figure is measured beside its floor (the database doing the same work by itself) in the same run, on
a Postgres database this suite creates and drops (`bench_kalshi_predictions` on DATABASE_URL's server).
"""
