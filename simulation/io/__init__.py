"""Files ⇄ objects: scenarios (YAML), data packs, registers, one atomic write, one Excel writer.

Scenario files, one job per module: :mod:`.yamlfile` (safe reading, limits, cache),
:mod:`.paths` (dotted paths), :mod:`.errors` (messages), :mod:`.uncertain`
(distributions), :mod:`.layering` (layers, presets, loading), :mod:`.saving` (saving,
undo); :mod:`.scenario` re-exports them all. Every file written goes through
:mod:`.atomic`.
"""
