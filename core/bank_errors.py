"""The exceptions a bank build or lookup raises to the CLI and the window, their messages in Chinese."""

from __future__ import annotations


class BankError(Exception):
    """The bank file cannot be used; the message says why, in Chinese."""


class BuildCancelled(Exception):
    """The user stopped a build; the previous bank is untouched."""
