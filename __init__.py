"""笔杆 (Bigan): an offline writing assistant for Chinese government work reports."""

__version__ = "0.2.0"
