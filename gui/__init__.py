"""Qt widgets, models and workers of the 笔杆 window."""

from gui.compat import protect_singletons

protect_singletons()
