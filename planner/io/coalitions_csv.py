"""The coalitions a cost sharing priced, as CSV: what a finance officer needs to check the shares.

One row per coalition: ``members`` (partner ids joined by ``;``, sorted) and
``cost`` (pounds over the term, two decimals), the grand coalition at the shared
design's cost. The nucleolus and core checks (and, when every coalition is
priced, the Shapley value) follow from these rows alone.
"""

from __future__ import annotations

import csv
import os

from planner.analysis.sharing import CostSharing
from planner.core.money import pounds
from planner.io.safe_output import atomic_output, neutralise

__all__ = ["COALITION_COLUMNS", "write_coalitions_csv"]

COALITION_COLUMNS = ("members", "cost")


def write_coalitions_csv(sharing: CostSharing, path: str | os.PathLike) -> None:
    """Write every coalition ``sharing`` priced to ``path``, smallest first, atomically."""
    rows = sorted(sharing.coalition_costs.items(), key=lambda item: (len(item[0]), sorted(item[0])))
    with atomic_output(path) as temporary, open(temporary, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COALITION_COLUMNS)
        for members, cost in rows:
            writer.writerow([neutralise(";".join(sorted(members))), f"{pounds(cost):.2f}"])
