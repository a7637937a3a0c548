"""Stage 3, run: drive a build (workers, executors, checkpoints, shards, merge)."""
