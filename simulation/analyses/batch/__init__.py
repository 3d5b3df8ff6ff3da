"""Scenario batches: the batch file as points (``spec``) and their execution (``run``)."""
