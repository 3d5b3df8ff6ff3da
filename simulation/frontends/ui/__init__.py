"""The planner's Voila app: widgets and charts built from the parameter schema.

``Dashboard`` lives here, not in a notebook, so that ``notebooks/dashboard.ipynb`` stays
a two-line page and the same app can be tested without a browser; its settings and what
follows from them are a widget-free ``DashboardState``.
"""

from .app import Dashboard
from .dashboard_state import DashboardState

__all__ = ["Dashboard", "DashboardState"]
