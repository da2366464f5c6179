"""Qt widgets, models and workers of the 笔杆 window."""
