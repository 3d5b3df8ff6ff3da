"""Questions asked of the model: a run, Monte Carlo, sensitivity, goal seeking, calibration,
back-tests, nowcasts and tracking, register views, batches."""
