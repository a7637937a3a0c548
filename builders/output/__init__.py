"""Stage 4, output: rows, Parquet shards, manifest, card and licence of a build folder; validate, verify and push it."""
