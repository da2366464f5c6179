"""Qt-free core of 笔杆: corpus import, phrase bank, matching, drafts and checks."""
