"""A capability kept in one folder: it is wired in by zeren.core.registry, nothing else."""
